"""The briefing as a 16:9 PowerPoint deck with native, editable charts and tables.

One slide per section, each with a plain-language headline; one accent colour. The map is a
picture drawn by Chromium when one is installed; the places chart is always native.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from analysis.briefing.content import Briefing
from analysis.briefing.figures import BrowserMissing, map_picture, period_names
from analysis.briefing.sections import safe_url
from analysis.briefing.text import capitalised, day_text, say, share_text
from analysis.dashboard.charts import percent_decimals, value_axis

if TYPE_CHECKING:
    from pptx.slide import Slide

WIDTH, HEIGHT = Emu(12_192_000), Emu(6_858_000)  # 13.33 x 7.5 in, 16:9
MARGIN = Inches(0.6)
BODY_TOP = Inches(1.95)  # below kicker and headline
BODY_HEIGHT = Inches(4.85)
FONT = "Calibri"
ACCENT = RGBColor(0xC2, 0x41, 0x0C)
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x6B, 0x72, 0x80)
BEFORE = RGBColor(0x9C, 0xA3, 0xAF)
SOFT = RGBColor(0xFF, 0xF7, 0xED)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
LINE_COLOURS = (ACCENT, INK, MUTED, BEFORE, RGBColor(0xD6, 0xD3, 0xD1))
BLANK_LAYOUT = 6
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_TITLE = 150


def clean(text: object) -> str:
    """Text without the control characters XML cannot hold."""
    return XML_ILLEGAL.sub("", "" if text is None else str(text))


def shortened(title: object) -> str:
    """A headline cut to MAX_TITLE characters."""
    text = clean(title)
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1].rstrip() + "…"


def text_box(
    slide: Slide,
    box: tuple[int, int, int, int],
    text: str,
    size: int,
    *,
    bold: bool = False,
    colour: RGBColor = INK,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
):
    """A word-wrapped text box with one paragraph per line of text."""
    shape = slide.shapes.add_textbox(*box)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = 0
    for i, line in enumerate(clean(text).split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        style(run.font, size, bold=bold, colour=colour)
    return shape


def style(font, size: int, *, bold: bool = False, colour: RGBColor = INK) -> None:
    """Set a run's font: house family, size in points, weight and colour."""
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour


def panel(slide: Slide, box: tuple[int, int, int, int], fill: RGBColor):
    """A filled rectangle without outline."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *box)
    shape.fill.solid()
    shape.fill.fore_color.rgb = fill
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def blank(deck) -> Slide:
    """A new empty slide."""
    return deck.slides.add_slide(deck.slide_layouts[BLANK_LAYOUT])


def footer(slide: Slide, b: Briefing, number: int) -> None:
    """Product and period on the left, a sample marker in the middle, the slide number right."""
    top, height = HEIGHT - Inches(0.5), Inches(0.3)
    text_box(slide, (MARGIN, top, Inches(6), height), f"{b.title} · {b.subtitle}", 11, colour=MUTED)
    if b.notice:
        text_box(
            slide,
            (Inches(5.2), top, Inches(3), height),
            say("sample", b.lang),
            11,
            bold=True,
            colour=ACCENT,
            align=PP_ALIGN.CENTER,
        )
    text_box(
        slide,
        (WIDTH - MARGIN - Inches(1), top, Inches(1), height),
        str(number),
        11,
        colour=MUTED,
        align=PP_ALIGN.RIGHT,
    )


def content_slide(deck, b: Briefing, kicker: str, headline: str) -> Slide:
    """A slide with an accent rule, a small section name and a plain-language headline."""
    slide = blank(deck)
    panel(slide, (0, 0, WIDTH, Inches(0.12)), ACCENT)
    inner = WIDTH - 2 * MARGIN
    text_box(
        slide,
        (MARGIN, Inches(0.45), inner, Inches(0.4)),
        kicker.upper(),
        14,
        bold=True,
        colour=ACCENT,
    )
    text_box(
        slide,
        (MARGIN, Inches(0.8), inner, Inches(1.05)),
        headline,
        30,
        bold=True,
        anchor=MSO_ANCHOR.TOP,
    )
    footer(slide, b, len(deck.slides))
    return slide


# -- charts and tables -----------------------------------------------------------------------------


def bar_chart(
    slide: Slide,
    box: tuple[int, int, int, int],
    categories: list[str],
    series: list[tuple[str, list[float], RGBColor]],
):
    """Native horizontal bars, first category on top, counts written at the bar ends."""
    data = CategoryChartData(number_format="#,##0")
    data.categories = [clean(c) for c in categories]
    for name, values, _ in series:
        data.add_series(clean(name), values)
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, data).chart
    chart.font.name, chart.font.size = FONT, Pt(14)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 50, -5
    plot.has_data_labels = True
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.size = Pt(12)
    for drawn, (_, _, colour) in zip(plot.series, series, strict=True):
        drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = colour
    chart.category_axis.reverse_order = True
    chart.category_axis.format.line.fill.background()
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    return chart


def line_chart(slide: Slide, box: tuple[int, int, int, int], b: Briefing):
    """Native lines of the leading topics' share of coverage per period."""
    periods = sorted(b.shares["period"].unique())
    data = CategoryChartData(number_format="0%")
    data.categories = period_names(pd.Series(periods), b.lang)
    for _, rows in b.shares.groupby("topic_id", sort=False):
        values = rows.set_index("period")["share"].reindex(periods)
        data.add_series(
            clean(capitalised(rows["label"].iloc[0])),
            [None if v != v else float(v) for v in values],
        )
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box, data).chart
    chart.font.name, chart.font.size = FONT, Pt(14)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    axis = chart.value_axis
    scale = value_axis(b.shares["share"].max(), percent=True)
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, scale["range"][1], scale["dtick"]
    decimals = percent_decimals(scale["dtick"])
    axis.tick_labels.number_format = "0" + ("." + "0" * decimals if decimals else "") + "%"
    axis.tick_labels.number_format_is_linked = False
    axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE7, 0xEB)
    axis.format.line.fill.background()
    for drawn, colour in zip(chart.plots[0].series, LINE_COLOURS, strict=False):
        drawn.smooth = False
        drawn.format.line.color.rgb = colour
        drawn.format.line.width = Pt(4 if colour == ACCENT else 2.25)
        drawn.marker.style, drawn.marker.size = XL_MARKER_STYLE.CIRCLE, 7
        drawn.marker.format.fill.solid()
        drawn.marker.format.fill.fore_color.rgb = colour
        drawn.marker.format.line.color.rgb = colour
    return chart


def table(
    slide: Slide,
    box: tuple[int, int, int, int],
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
):
    """A native table: accent header row, white rows, 15-point text."""
    shape = slide.shapes.add_table(len(rows) + 1, len(header), *box)
    grid = shape.table
    for column, share in zip(grid.columns, widths, strict=True):
        column.width = Emu(int(box[2] * share))
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = ACCENT if r == 0 else (WHITE if r % 2 else SOFT)
            cell.text = clean(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    style(run.font, 15, bold=r == 0, colour=WHITE if r == 0 else INK)
    return grid


# -- slides ----------------------------------------------------------------------------------------


def title_slide(deck, b: Briefing) -> None:
    """Accent panel with product and period; facts and the sample notice beside it."""
    slide = blank(deck)
    left = Inches(5.4)
    panel(slide, (0, 0, left, HEIGHT), ACCENT)
    text_box(
        slide,
        (MARGIN, Inches(0.8), left - 2 * MARGIN, Inches(0.5)),
        b.title.upper(),
        16,
        bold=True,
        colour=WHITE,
    )
    text_box(
        slide,
        (MARGIN, Inches(2.3), left - 2 * MARGIN, Inches(1.4)),
        b.kind,
        40,
        bold=True,
        colour=WHITE,
    )
    text_box(slide, (MARGIN, Inches(3.9), left - 2 * MARGIN, Inches(1)), b.span, 28, colour=WHITE)
    right = left + MARGIN
    width = WIDTH - right - MARGIN
    text_box(slide, (right, Inches(0.8), width, Inches(2.6)), "\n".join(b.facts), 18, colour=INK)
    if b.notice:
        box = (right, Inches(4.3), width, Inches(2.5))
        panel(slide, box, SOFT)
        text_box(
            slide,
            (right + Inches(0.25), Inches(4.45), width - Inches(0.5), Inches(0.4)),
            say("sample", b.lang),
            14,
            bold=True,
            colour=ACCENT,
        )
        text_box(
            slide,
            (right + Inches(0.25), Inches(4.85), width - Inches(0.5), Inches(1.9)),
            b.notice,
            12,
            colour=INK,
        )


def tile(slide: Slide, x: int, width: int, value: str, caption: str) -> None:
    """A big number over its caption on a soft panel, x across the top of the slide's body."""
    panel(slide, (x, BODY_TOP, width, Inches(1.45)), SOFT)
    left, inner = x + Inches(0.2), width - Inches(0.4)
    number = (left, BODY_TOP + Inches(0.12), inner, Inches(0.75))
    text_box(slide, number, value, 32, bold=True, colour=ACCENT)
    text_box(slide, (left, BODY_TOP + Inches(0.92), inner, Inches(0.45)), caption, 14, colour=MUTED)


def summary_slide(deck, b: Briefing) -> None:
    """Four numbers as tiles, then the key points."""
    slide = content_slide(deck, b, say("summary", b.lang), b.headlines["summary"])
    gap = Inches(0.3)
    width = int((WIDTH - 2 * MARGIN - 3 * gap) / 4)
    for i, (value, caption) in enumerate(b.tiles):
        tile(slide, MARGIN + i * (width + gap), width, value, caption)
    points = [point for point in b.summary if point != b.headlines["summary"]]
    text_box(
        slide,
        (MARGIN, BODY_TOP + Inches(1.8), WIDTH - 2 * MARGIN, Inches(2.9)),
        "\n".join(f"•  {point}" for point in points),
        20,
    )


def topics_slide(deck, b: Briefing) -> None:
    """Articles per top topic now and before, as native bars."""
    slide = content_slide(deck, b, say("topics", b.lang), b.headlines["topics"])
    if b.topics.empty:
        return
    bar_chart(
        slide,
        (MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_HEIGHT),
        [capitalised(label) for label in b.topics["label"]],
        [
            (b.now_label, b.topics["count_now"].tolist(), ACCENT),
            (b.before_label, b.topics["count_before"].tolist(), BEFORE),
        ],
    )


def shares_slide(deck, b: Briefing) -> None:
    """The leading topics' share of coverage over both periods, as native lines."""
    slide = content_slide(deck, b, say("shares", b.lang), b.headlines["shares"])
    if not b.shares.empty:
        line_chart(slide, (MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, BODY_HEIGHT), b)


def emerging_slide(deck, b: Briefing) -> None:
    """New and rising topics with their one-line explanation."""
    slide = content_slide(deck, b, say("emerging", b.lang), b.headlines["emerging"])
    if b.emerging.empty:
        return
    rows = [[capitalised(r.label), r.status, r.explanation] for r in b.emerging.itertuples()]
    header = [say(k, b.lang) for k in ("topic", "status", "why")]
    height = Inches(0.6) * (len(rows) + 1)
    table(slide, (MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, height), header, rows, [0.32, 0.1, 0.58])


def places_slide(deck, b: Briefing, with_map: bool) -> None:
    """Places with most coverage as native bars, beside a picture of the map when one can be drawn."""
    slide = content_slide(deck, b, say("places", b.lang), b.headlines["places"])
    picture, reason = None, None
    if with_map:
        try:
            picture = map_picture(b)
        except BrowserMissing as exc:
            reason = str(exc)
    chart_width = int((WIDTH - 2 * MARGIN) * (0.42 if picture else 1.0))
    if not b.places.empty:
        bar_chart(
            slide,
            (MARGIN, BODY_TOP, chart_width, BODY_HEIGHT - (Inches(0.4) if reason else 0)),
            b.places["name"].tolist(),
            [
                (b.now_label, b.places["count_now"].tolist(), ACCENT),
                (b.before_label, b.places["count_before"].tolist(), BEFORE),
            ],
        )
    if picture:
        left = MARGIN + chart_width + Inches(0.3)
        slide.shapes.add_picture(
            io.BytesIO(picture), left, BODY_TOP + Inches(0.3), width=WIDTH - MARGIN - left
        )
    if reason:
        text_box(
            slide,
            (MARGIN, BODY_TOP + BODY_HEIGHT - Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.35)),
            say("map_missing", b.lang, reason=reason),
            12,
            colour=MUTED,
        )


def issue_slide(deck, b: Briefing, rank: int, count: int, topic) -> None:
    """One issue: its numbers on the left, three linked representative headlines on the right."""
    lang = b.lang
    slide = content_slide(deck, b, say("issue", lang, rank=rank, count=count), topic.headline)
    column = Inches(3.6)
    panel(slide, (MARGIN, BODY_TOP, column, BODY_HEIGHT), SOFT)
    inner = (MARGIN + Inches(0.3), column - Inches(0.6))
    text_box(
        slide,
        (inner[0], BODY_TOP + Inches(0.3), inner[1], Inches(0.9)),
        f"{topic.count_now}",
        54,
        bold=True,
        colour=ACCENT,
    )
    lines = [
        say("articles", lang),
        topic.change,
        f"{say('share', lang)}: {share_text(topic.share_now, lang)}",
    ]
    if isinstance(topic.place, str):
        lines.append(f"{say('leading_place', lang)}: {topic.place}")
    text_box(
        slide,
        (inner[0], BODY_TOP + Inches(1.3), inner[1], Inches(3.2)),
        "\n".join(lines),
        18,
        colour=INK,
    )
    left = MARGIN + column + Inches(0.5)
    width = WIDTH - MARGIN - left
    text_box(
        slide,
        (left, BODY_TOP, width, Inches(0.4)),
        say("headlines", lang),
        14,
        bold=True,
        colour=MUTED,
    )
    stories = b.stories.loc[b.stories["topic_id"] == topic.topic_id]
    if stories.empty:
        text_box(
            slide, (left, BODY_TOP + Inches(0.5), width, Inches(0.5)), say("no_headlines", lang), 18
        )
    for i, story in enumerate(stories.itertuples()):
        top = BODY_TOP + Inches(0.55) + i * Inches(1.4)
        shape = text_box(slide, (left, top, width, Inches(0.9)), "", 20)
        run = shape.text_frame.paragraphs[0].runs[0]
        run.text = shortened(story.title)
        style(run.font, 20, bold=True, colour=INK)
        link = safe_url(story.url)  # None for a headline without a web address (NaN too)
        if link:
            run.hyperlink.address = link
        text_box(
            slide,
            (left, top + Inches(0.9), width, Inches(0.35)),
            f"{story.source} · {day_text(story.day, lang)}",
            13,
            colour=MUTED,
        )


def method_slide(deck, b: Briefing) -> None:
    """How to read the numbers, and the sample notice."""
    slide = content_slide(deck, b, say("method", b.lang), say("method_headline", b.lang))
    text = "\n".join(f"•  {line}" for line in b.method)
    text_box(slide, (MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, Inches(3.2)), text, 16)
    if b.notice:
        text_box(
            slide,
            (MARGIN, BODY_TOP + Inches(3.4), WIDTH - 2 * MARGIN, Inches(1.3)),
            b.notice,
            12,
            colour=MUTED,
        )


def briefing_pptx(b: Briefing, *, with_map: bool = True) -> bytes:
    """The briefing as a PowerPoint deck's bytes (map picture only if with_map and Chromium)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    title_slide(deck, b)
    summary_slide(deck, b)
    topics_slide(deck, b)
    shares_slide(deck, b)
    emerging_slide(deck, b)
    places_slide(deck, b, with_map)
    for rank, topic in enumerate(b.issues.itertuples(), start=1):
        issue_slide(deck, b, rank, len(b.issues), topic)
    method_slide(deck, b)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
