"""The feeds file, single feed and article URLs, and the items of a fetched RSS/Atom document."""

from __future__ import annotations

import calendar
import html as html_module
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax import SAXParseException

import feedparser
import lxml.etree
import lxml.html
import pandas as pd
from lxml.cssselect import CSSSelector, SelectorError

from data.dedupe import canonical_url
from data.fetch.client import FetchError, Response
from data.fetch.guard import allow_entries
from data.places import resolve_region

FEED_KEYS = frozenset({"name", "url", "urls", "region", "language", "selector"})
TOP_KEYS = frozenset({"feed", "allow_hosts"})


class FeedsFileError(ValueError):
    """A feeds file that cannot be used, with the place of the mistake."""


@dataclass(frozen=True)
class Feed:
    """An outlet to follow: its name (the articles' source), feed URLs, home region, language."""

    name: str
    urls: tuple[str, ...]
    region: str | None = None  # home province/regency code
    language: str = "id"
    selector: str | None = None  # CSS selector of the article body on its pages

    @classmethod
    def from_url(cls, url: str) -> Feed:
        """A feed given only by its URL, named after its host."""
        checked_url(url, "feed URL")
        return cls(name=urlsplit(url).hostname.removeprefix("www."), urls=(url,))


def checked_url(url: Any, what: str) -> str:
    """url if it is an absolute http(s) URL, else a FeedsFileError naming what it was."""
    if (
        not isinstance(url, str)
        or urlsplit(url).scheme not in ("http", "https")
        or not urlsplit(url).hostname
    ):
        raise FeedsFileError(f"{what} must be an http(s) URL, got {url!r}")
    return url


def _feed_of(entry: Any, number: int) -> Feed:
    """One [[feed]] table of a feeds file, checked."""
    where = f"feed {number}"
    if not isinstance(entry, dict):
        raise FeedsFileError(f"{where}: expected a table of keys")
    unknown = sorted(set(entry) - FEED_KEYS)
    if unknown:
        raise FeedsFileError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(FEED_KEYS))}"
        )
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise FeedsFileError(f"{where}: 'name' (the outlet) is required")
    where = f"feed {number} ({name})"
    urls = entry.get("urls", [])
    if not isinstance(urls, list):
        raise FeedsFileError(f"{where}: 'urls' must be a list of URLs")
    urls = urls + ([entry["url"]] if "url" in entry else [])
    if not urls:
        raise FeedsFileError(f"{where}: give 'url' or 'urls'")
    selector = entry.get("selector") or None
    try:
        CSSSelector(selector) if selector else None
    except SelectorError as exc:
        raise FeedsFileError(f"{where}: selector {selector!r} is not valid CSS: {exc}") from exc
    try:
        province, regency = (
            resolve_region(str(entry["region"])) if "region" in entry else (None, None)
        )
    except ValueError as exc:
        raise FeedsFileError(f"{where}: {exc}") from exc
    return Feed(
        name=name.strip(),
        urls=tuple(checked_url(u, f"{where}: url") for u in urls),
        region=regency or province,
        language=str(entry.get("language", "id")),
        selector=selector,
    )


def _feeds_document(path: Path) -> dict[str, Any]:
    """A feeds file's TOML, with only the keys a feeds file has."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FeedsFileError(f"no such feeds file: {path}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FeedsFileError(f"{path}: not valid TOML: {exc}") from exc
    unknown = sorted(set(document) - TOP_KEYS)
    if unknown:
        raise FeedsFileError(
            f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(TOP_KEYS))}"
        )
    return document


def load_allow_hosts(path: Path) -> tuple[str, ...]:
    """The non-public hosts a feeds file allows fetching from (its ``allow_hosts`` list)."""
    entries = _feeds_document(path).get("allow_hosts", [])
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise FeedsFileError(f"{path}: allow_hosts must be a list of host names or addresses")
    try:
        return allow_entries(entries, f"{path}: allow_hosts")
    except ValueError as exc:
        raise FeedsFileError(str(exc)) from exc


def load_feeds(path: Path) -> list[Feed]:
    """The feeds listed in a TOML feeds file (format: data/feeds.example.toml)."""
    document = _feeds_document(path)
    try:
        feeds = [_feed_of(entry, n) for n, entry in enumerate(document.get("feed", []), start=1)]
    except FeedsFileError as exc:
        raise FeedsFileError(f"{path}: {exc}") from exc
    if not feeds:
        raise FeedsFileError(f"{path}: no [[feed]] entries")
    names = Counter(feed.name for feed in feeds)
    if clashes := [name for name, n in names.items() if n > 1]:
        raise FeedsFileError(f"{path}: feed names must be unique: {', '.join(clashes)}")
    return feeds


def read_url_list(path: Path) -> list[str]:
    """The article URLs in a text file, one per line (blank lines and # comments skipped)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    return [checked_url(url, f"{path}: line") for url in urls]


# -- feed documents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One article to fetch: its link, and what the feed said about it."""

    link: str
    key: str  # canonical URL
    source: str | None
    feed_url: str | None
    row: int
    title: str = ""
    published: str | None = None  # the feed's date string, as found
    published_at: str | None = None  # the same, read by feedparser (ISO, UTC)
    summary: str = ""
    category: str | None = None
    selector: str | None = None
    region: str | None = None


def _plain_text(html: str) -> str:
    """The text of an HTML fragment, one line per block."""
    if not html or not html.strip():
        return ""
    marked = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\b[^>]*>", "\n", html)
    try:
        text = lxml.html.fragment_fromstring(marked, create_parent="div").text_content()
    except (ValueError, lxml.etree.ParserError):  # control characters, nothing parseable
        text = html_module.unescape(re.sub(r"<[^>]*>", " ", marked))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _entry_time(entry: Any) -> str | None:
    """When feedparser says an entry was published (ISO, UTC), if it could tell."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return pd.Timestamp(calendar.timegm(parsed), unit="s", tz="UTC").isoformat() if parsed else None


@dataclass(frozen=True)
class FeedDocument:
    """A fetched feed's linked items, and what is wrong with its XML when something is."""

    items: tuple[Item, ...]
    problem: str | None = None


def _xml_problem(parsed: Any) -> str | None:
    """Where and how a feed's XML is malformed, or None when it is well-formed."""
    error = parsed.get("bozo_exception")
    if not isinstance(error, SAXParseException):
        return None  # well-formed (a charset note or a content type is not malformed XML)
    where = f"line {error.getLineNumber()}, column {error.getColumnNumber()}"
    return f"malformed XML at {where}: {error.getMessage()}"


def feed_document(feed: Feed, feed_url: str, response: Response) -> FeedDocument:
    """The linked items of a fetched RSS/Atom document; FetchError if it is not a readable feed.

    Malformed XML is the document's problem, reported as the feed's error; the items the lenient
    parser still found are kept, so that a stray "&" does not lose a day's news. Entries without
    an http(s) link are left out: without a page or a URL to recognise them by, they could neither
    be fetched nor told apart from the next run's copy.
    """
    parsed = feedparser.parse(
        response.body,
        response_headers={
            "content-type": response.content_type or "application/xml",
            "content-location": response.url,
        },
    )
    problem = _xml_problem(parsed)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        why = problem or parsed.get("bozo_exception") or "no RSS or Atom content"
        raise FetchError(f"not a readable feed: {why}", permanent=True)
    items = []
    for row, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or entry.get("id") or ""
        if urlsplit(link).scheme not in ("http", "https"):
            continue
        tags = entry.get("tags") or []
        items.append(
            Item(
                link=link,
                key=canonical_url(link) or link,
                source=feed.name,
                feed_url=feed_url,
                row=row,
                title=entry.get("title", "").strip(),
                published=entry.get("published") or entry.get("updated"),
                published_at=_entry_time(entry),
                summary=_plain_text(entry.get("summary", "")),
                category=tags[0].get("term") if tags else None,
                selector=feed.selector,
                region=feed.region,
            )
        )
    if problem:
        problem += f" ({len(items)} linked items read before or around it)"
    return FeedDocument(tuple(items), problem)
