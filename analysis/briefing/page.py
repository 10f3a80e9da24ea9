"""The briefing as one self-contained HTML page (plotly.js inlined, works offline), and as a PDF.

Every text that comes from articles or users is escaped; links are kept only for http(s) URLs.
The PDF is the same page printed by headless Chromium, with the map as a picture (a WebGL map
does not print).
"""

from __future__ import annotations

import base64
import html
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analysis.briefing.content import Briefing
from analysis.briefing.figures import (
    BrowserMissing,
    browser,
    map_figure,
    map_picture,
    placed_note,
    shares_figure,
    topics_figure,
)
from analysis.briefing.sections import safe_url
from analysis.briefing.text import capitalised, day_text, say, share_text

PDF_SECONDS = 120
PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}
STYLE = """
:root { --accent: #c2410c; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --soft: #fff7ed; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Inter, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       background: #f9fafb; font-size: 17px; line-height: 1.45; }
main { max-width: 1120px; margin: 0 auto; padding: 0 24px 48px; }
header.cover { background: var(--accent); color: #fff; padding: 48px 24px 40px; }
header.cover > div { max-width: 1072px; margin: 0 auto; }
header.cover .brand { font-size: 18px; letter-spacing: .12em; text-transform: uppercase; opacity: .9; }
header.cover h1 { font-size: 44px; line-height: 1.15; margin: 8px 0 16px; }
header.cover ul { list-style: none; padding: 0; margin: 0; font-size: 17px; opacity: .95; }
.notice { background: #fff; color: var(--ink); border-left: 6px solid var(--ink); padding: 12px 16px;
          margin-top: 20px; font-size: 15px; border-radius: 4px; }
.notice strong { color: var(--accent); }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 28px 32px;
          margin-top: 24px; }
.kicker { color: var(--accent); font-weight: 700; font-size: 14px; letter-spacing: .1em;
          text-transform: uppercase; }
h2 { font-size: 30px; line-height: 1.2; margin: 6px 0 18px; }
h3 { font-size: 22px; margin: 22px 0 8px; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 16px; margin-bottom: 18px; }
.tile { background: var(--soft); border-radius: 8px; padding: 14px 16px; }
.tile b { display: block; font-size: 34px; color: var(--accent); line-height: 1.1; }
.tile span { color: var(--muted); font-size: 15px; }
ul.points { font-size: 20px; padding-left: 22px; margin: 0; }
ul.points li { margin: 6px 0; }
table { border-collapse: collapse; width: 100%; font-size: 16px; margin-top: 8px; }
th { text-align: left; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line);
     padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 8px; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.chart { width: 100%; }
.map-picture { width: 100%; height: auto; }
ol.stories { padding-left: 22px; margin: 4px 0 0; }
ol.stories li { margin: 6px 0; }
ol.stories a { color: var(--ink); text-decoration-color: var(--accent); }
.meta { color: var(--muted); font-size: 14px; }
.issue + .issue { border-top: 1px solid var(--line); margin-top: 22px; padding-top: 18px; }
.facts { color: var(--muted); font-size: 15px; margin: 0 0 6px; }
footer { color: var(--muted); font-size: 13px; text-align: center; margin-top: 28px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { background: #fff; font-size: 14px; }
  header.cover, .tile, .notice { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  header.cover { padding: 28px 24px; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 18px 0 0; }
  #topics, #shares, #emerging, #places, #issues, #method { break-before: page; }
  h2, h3, .kicker { break-after: avoid; }
  .plotly-graph-div, .map-picture, table, tr, li, .issue { break-inside: avoid; }
}
"""


def esc(text: object) -> str:
    """Text escaped for HTML content and attributes."""
    return html.escape(
        "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    )


def figure_html(fig: go.Figure, first: bool) -> str:
    """A figure as a div; the first one carries plotly.js inline."""
    return fig.to_html(full_html=False, include_plotlyjs=first, config=PLOTLY_CONFIG)


def tile(value: str, caption: str) -> str:
    """A big number with its caption."""
    return f'<div class="tile"><b>{esc(value)}</b><span>{esc(caption)}</span></div>'


def table_html(header: list[str], rows: list[list[object]], numeric: set[int]) -> str:
    """A plain table; columns whose index is in numeric are right-aligned."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{esc(v)}</td>' if i in numeric else f"<td>{esc(v)}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def section(key: str, b: Briefing, body: str, kicker: str | None = None) -> str:
    """A section: its kicker, its plain-language headline and body."""
    return (
        f'<section id="{key}"><div class="kicker">{esc(kicker or say(key, b.lang))}</div>'
        f"<h2>{esc(b.headlines[key])}</h2>{body}</section>"
    )


def cover_html(b: Briefing) -> str:
    """The title band: product, period, comparison, store and filters, sample notice."""
    facts = "".join(f"<li>{esc(fact)}</li>" for fact in b.facts)
    notice = (
        f'<div class="notice"><strong>{esc(say("sample", b.lang))}</strong> — {esc(b.notice)}</div>'
        if b.notice
        else ""
    )
    return (
        f'<header class="cover"><div><div class="brand">{esc(b.title)}</div>'
        f"<h1>{esc(b.subtitle)}</h1><ul>{facts}</ul>{notice}</div></header>"
    )


def summary_html(b: Briefing) -> str:
    """Totals as tiles and the key points."""
    tiles = "".join(tile(value, caption) for value, caption in b.tiles)
    points = "".join(f"<li>{esc(point)}</li>" for point in b.summary)
    return section(
        "summary", b, f'<div class="tiles">{tiles}</div><ul class="points">{points}</ul>'
    )


def topics_html(b: Briefing, chart: str) -> str:
    """The top topics: chart and table."""
    lang = b.lang
    rows = [
        [
            capitalised(r.label),
            r.count_now,
            r.count_before,
            share_text(r.share_now, lang),
            r.change,
            r.place,
        ]
        for r in b.topics.itertuples()
    ]
    header = [say("topic", lang), b.now_label, b.before_label] + [
        say(k, lang) for k in ("share", "change", "leading_place")
    ]
    return section("topics", b, chart + table_html(header, rows, {1, 2, 3}))


def emerging_html(b: Briefing) -> str:
    """New and rising topics with their explanations."""
    rows = [[capitalised(r.label), r.status, r.explanation] for r in b.emerging.itertuples()]
    header = [say(k, b.lang) for k in ("topic", "status", "why")]
    return section("emerging", b, table_html(header, rows, set()) if rows else "")


def places_html(b: Briefing, picture: str) -> str:
    """The map (live or as a picture) and the places with most coverage."""
    rows = [
        [r.name, r.count_now, r.count_before, f"{r.change:+d}" if r.change else "0"]
        for r in b.places.itertuples()
    ]
    header = [say("place", b.lang), b.now_label, b.before_label, say("change", b.lang)]
    note = f'<p class="meta">{esc(placed_note(b))}</p>'
    return section("places", b, picture + note + table_html(header, rows, {1, 2, 3}))


def story_html(row: pd.Series, lang: str) -> str:
    """One headline: a link when its URL is http(s) (not when it has none), then outlet and day."""
    title, url = esc(row["title"]), safe_url(row["url"])
    link = (
        f'<a href="{esc(url)}" rel="noopener noreferrer" target="_blank">{title}</a>'
        if url
        else title
    )
    return f'<li>{link} <span class="meta">· {esc(row["source"])} · {esc(day_text(row["day"], lang))}</span></li>'


def issues_html(b: Briefing) -> str:
    """One block per leading issue: headline, facts, representative headlines."""
    lang, blocks, issues = b.lang, [], b.issues
    for rank, topic in enumerate(issues.itertuples(), start=1):
        stories = b.stories.loc[b.stories["topic_id"] == topic.topic_id]
        items = "".join(story_html(row, lang) for _, row in stories.iterrows())
        facts = (
            f"{say('leading_place', lang)}: {topic.place}" if isinstance(topic.place, str) else ""
        )
        blocks.append(
            f'<div class="issue"><div class="kicker">{esc(say("issue", lang, rank=rank, count=len(issues)))}</div>'
            f'<h3>{esc(topic.headline)}</h3><p class="facts">{esc(facts)}</p>'
            f'<div class="meta">{esc(say("headlines", lang))}</div><ol class="stories">{items}</ol></div>'
        )
    body = "".join(blocks) or f"<p>{esc(say('no_headlines', lang))}</p>"
    return (
        f'<section id="issues"><div class="kicker">{esc(say("issues", lang))}</div>{body}</section>'
    )


def method_html(b: Briefing) -> str:
    """How to read the numbers, and the sample notice again."""
    items = "".join(f"<li>{esc(line)}</li>" for line in b.method)
    notice = f'<div class="notice">{esc(b.notice)}</div>' if b.notice else ""
    return (
        f'<section id="method"><div class="kicker">{esc(say("method", b.lang))}</div>'
        f"<ul>{items}</ul>{notice}</section>"
    )


def briefing_html(b: Briefing, map_png: bytes | None = None) -> str:
    """The whole briefing as one HTML page that needs no network (map as a picture if given)."""
    charts = [topics_figure(b)] + ([shares_figure(b)] if len(b.shares) else [])
    if map_png is None:
        charts.append(map_figure(b))
    divs = [figure_html(fig, first=i == 0) for i, fig in enumerate(charts)]
    topics_chart = divs[0] if len(b.topics) else ""
    shares_chart = divs[1] if len(b.shares) else ""
    map_part = (
        f'<img class="map-picture" alt="" src="data:image/png;base64,{base64.b64encode(map_png).decode()}">'
        if map_png is not None
        else divs[-1]
    )
    body = "".join(
        [
            summary_html(b),
            topics_html(b, topics_chart),
            section("shares", b, shares_chart),
            emerging_html(b),
            places_html(b, map_part),
            issues_html(b),
            method_html(b),
        ]
    )
    return (
        f'<!doctype html><html lang="{b.lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(b.title)} · {esc(b.subtitle)}</title><style>{STYLE}</style></head>"
        f"<body>{cover_html(b)}<main>{body}"
        f"<footer>{esc(b.title)} · {esc(b.subtitle)}</footer></main></body></html>"
    )


def briefing_pdf(b: Briefing) -> bytes:
    """The briefing page printed to PDF by headless Chromium; BrowserMissing without one."""
    page = briefing_html(b, map_png=map_picture(b))
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "briefing.html", Path(folder) / "briefing.pdf"
        source.write_text(page, encoding="utf-8")
        command = [
            str(browser()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        subprocess.run(command, capture_output=True, timeout=PDF_SECONDS, check=False)
        if not target.exists():
            raise BrowserMissing("Chromium did not print the briefing")
        return target.read_bytes()
