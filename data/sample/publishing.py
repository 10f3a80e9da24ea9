"""How an outlet dresses a story: dateline, boilerplate, sign-off, URL, date; and the rows that
repeat an article (shared with tracking parameters, updated, scraped without its text)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from data.sample.corpus import Corpus, time_zone
from data.sample.dates import DATE_FORMATS, EPOCH_ORDINAL, Moment
from data.sample.outlets import FILE_BY_ISLANDS, House, Outlet
from data.sample.phrases import phrases
from data.sample.stories import Story, headline
from data.sample.templates import library
from data.sample.writer import Writer

UNDATED_SHARE = 0.03
TRACKING: tuple[str, ...] = (
    "?utm_source=whatsapp&utm_medium=social",
    "?utm_source=facebook&utm_medium=share&utm_campaign=berita",
    "?fbclid=IwAR0{id}",
    "?utm_source=twitter",
    "?amp=1&utm_source=telegram",
)
NO_TEXT: tuple[tuple[bool, str], ...] = (  # (title kept, text) of a row whose scrape lost the body
    (False, ""), (False, " \n "), (True, ""), (True, "ADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT"),
)  # fmt: skip
UNDATED: tuple[str, ...] = ("", "", "Tidak Ditemukan", "-")
SECTION_IDS: dict[str, int] = {"Peristiwa": 340, "Ekonomi": 320, "Politik": 337, "Daerah": 525}


def _slug(title: str) -> str:
    """The URL slug of a title."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:90].rstrip("-")


def _typographic(text: str) -> str:
    """Straight double quotes turned into curly ones."""
    return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)


def _glued(text: str, rng: random.Random) -> str:
    """Text with one or two spaces lost, as where a scraper removed a link."""
    for _ in range(1 + int(rng.random() * 2)):
        space = text.find(" ", int(rng.random() * len(text)))
        if space > 0:
            text = text[:space] + text[space + 1 :]
    return text


def _read_also(story: Story, writer: Writer) -> str:
    """A "Baca juga" line pointing at another invented story of that day."""
    plan = writer.corpus.plan
    live = [
        key
        for key in phrases().themes
        if key != plan.new_theme or story.day >= plan.new_theme_first
    ]
    other = writer.pick(live)
    title = headline(writer.render(writer.pick(library().titles[other])))
    return f"Baca juga: {title}"


BOILERPLATE: dict[str, Callable[[Story, Writer, Outlet], tuple[int, str]]] = {
    # kind -> (paragraph index to insert before, -1 = at the end; the block)
    "ad_scroll": lambda s, w, o: (2, "ADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT"),
    "advertisement": lambda s, w, o: (1 + int(w.random() * 3), "Advertisement"),
    "read_also": lambda s, w, o: (1 + int(w.random() * 3), _read_also(s, w)),
    "read_also_break": lambda s, w, o: (2, _read_also(s, w).replace(": ", ":\n")),
    "first_published": lambda s, w, o: (
        -1,
        f'Artikel ini telah tayang di {o.domain} dengan judul "{s.title}"',
    ),
    "share": lambda s, w, o: (-1, "Bagikan: Facebook | X | WhatsApp | Telegram"),
    "repeat_title": lambda s, w, o: (0, s.title),
}


def _body(story: Story, outlet: Outlet, house: House, rng: random.Random, corpus: Corpus) -> str:
    """An outlet's text of a story: dateline, boilerplate, sign-off."""
    paragraphs = list(story.paragraphs)
    if house.dateline:
        place = story.place
        dateline = house.dateline.format(
            place=place.short, PLACE=place.short.upper(), outlet=outlet.name,
            OUTLET=outlet.name.upper(), kind_place=place.long,
        )  # fmt: skip
        paragraphs[0] = dateline + paragraphs[0]
    writer = Writer(corpus, rng, story.theme, story.place, story.day)
    for kind in house.extras:
        if rng.random() < 0.65:
            index, block = BOILERPLATE[kind](story, writer, outlet)
            paragraphs.insert(len(paragraphs) if index < 0 else min(index, len(paragraphs)), block)
    if house.signoff:
        paragraphs.append(
            house.signoff.format(
                ini=writer.slot("initials").lower(), ini2=writer.pick(("ega", "rdr", "fay", "ain")),
                editor=writer.slot("editor"), reporter=writer.slot("reporter"),
                outlet=outlet.name, year=story.day.year,
            )
        )  # fmt: skip
    text = house.joiner.join(paragraphs)
    if house.typographic:
        text = _typographic(text)
    if house.glued:
        text = _glued(text, rng)
    return text


def _url(story: Story, outlet: Outlet, house: House, row_id: int) -> str:
    """The outlet's URL of a story."""
    category = phrases().themes[story.theme].category
    return house.url.format(
        domain=outlet.domain, section=category.lower(), section_id=SECTION_IDS.get(category, 600),
        year=story.day.year, month=f"{story.day.month:02d}", day=f"{story.day.day:02d}",
        id=1_000_000 + (row_id * 7_919) % 8_999_999, slug=_slug(story.title),
    )  # fmt: skip


def _date_text(moment: Moment, outlet: Outlet, house: House, rng: random.Random) -> str:
    """The date field as the outlet writes it, sometimes missing."""
    if rng.random() < UNDATED_SHARE:
        return UNDATED[int(rng.random() * len(UNDATED))]
    name = outlet.date_format or house.date_format
    if house.date_format == "long" and rng.random() < 0.3:
        name = "updated"
    return DATE_FORMATS[name](moment, outlet.name)


class Row(NamedTuple):
    """One raw row and what it really is."""

    title: str
    text: str
    date: str
    url: str
    source: str
    category: str | None
    file: str  # key of the files (outlet_tables().files)
    theme: str
    province_code: str
    regency_code: str
    epoch: int
    kind: str
    story: int
    language: str


def published(
    story: Story, outlet: Outlet, rng: random.Random, corpus: Corpus, row_id: int, kind: str,
    minute: int | None = None, day: date | None = None,
) -> Row:  # fmt: skip
    """A story as one outlet publishes it."""
    house = corpus.houses[outlet.house]
    zone, offset = ("WIB", 7) if outlet.national else time_zone(outlet.province_code)
    moment = Moment(day or story.day, story.minute if minute is None else minute, zone, offset)
    category = (
        phrases().themes[story.theme].category if house.category == "theme" else house.category
    )
    return Row(
        title=story.title,
        text=_body(story, outlet, house, rng, corpus),
        date=_date_text(moment, outlet, house, rng),
        url=_url(story._replace(day=moment.day), outlet, house, row_id),
        source=outlet.domain if house.source_is_domain else outlet.name,
        category=category,
        file="nasional" if outlet.national else FILE_BY_ISLANDS[outlet.province_code[0]],
        theme=story.theme,
        province_code=story.place.province_code,
        regency_code=story.place.code,
        epoch=moment.epoch,
        kind=kind,
        story=story.story,
        language=story.language,
    )


def tracked(row: Row, rng: random.Random, row_id: int) -> Row:
    """The same article shared again, its URL with tracking parameters."""
    tracking = TRACKING[int(rng.random() * len(TRACKING))].format(id=row_id)
    return row._replace(url=row.url + tracking, file="tautan", category=None, kind="tracked_repeat")


def updated(row: Row, rng: random.Random) -> Row:
    """The same URL again later, the article updated."""
    local = row.epoch + 3_600 * (7 + 1 + int(rng.random() * 6)) + 60 * int(rng.random() * 60)
    day = date.fromordinal(local // 86_400 + EPOCH_ORDINAL)
    moment = Moment(day, local % 86_400 // 60, "WIB", 7)
    note = f"\n\n(Berita ini telah diperbarui pada pukul {moment.clock.replace(':', '.')} WIB)"
    return row._replace(
        date=DATE_FORMATS["updated"](moment, row.source),
        text=row.text + note,
        kind="updated_repeat",
    )


def without_text(row: Row, variant: int) -> Row:
    """A row whose scrape lost the article body, and in some variants the title too."""
    title_kept, text = NO_TEXT[variant % len(NO_TEXT)]
    return row._replace(title=row.title if title_kept else "", text=text, kind="no_text")
