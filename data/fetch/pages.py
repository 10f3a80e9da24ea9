"""Article pages: bytes to text in the right encoding, then title, body, date and site name."""

from __future__ import annotations

import codecs
import re
from email.message import Message
from typing import Any

import lxml.html
import trafilatura
from charset_normalizer import from_bytes
from lxml.cssselect import SelectorError
from trafilatura.metadata import extract_metadata

BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.IGNORECASE)
_WINDOWS_1252_ALIASES = {"iso8859-1", "ascii"}  # codec names, as codecs.lookup() gives them


def _codec(label: str | None) -> str | None:
    """A Python codec for a declared charset label (Latin-1 read as Windows-1252, as browsers do)."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name if label else None
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252_ALIASES else name


def _try_decode(body: bytes, codec: str | None) -> str | None:
    """body decoded strictly with codec, or None."""
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decoded_text(body: bytes, content_type: str | None = None) -> str:
    """The text of a page: its HTTP charset, else its <meta>/XML charset, else UTF-8, else detected."""
    message = Message()
    message["Content-Type"] = content_type or "application/octet-stream"
    head = body[:4096]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    candidates = [
        _codec(message.get_content_charset()),
        _codec(declared.group(1).decode("ascii", "replace")) if declared else None,
        "utf-8-sig",
    ]
    for codec in candidates:
        text = _try_decode(body, codec)
        if text is not None:
            return text
    best = from_bytes(body[:200_000]).best()
    if best is not None and "cp1252" not in best.could_be_from_charset:
        text = _try_decode(body, best.encoding)
        if text is not None:
            return text
    return body.decode("cp1252", errors="replace")


def _selected_text(tree: Any, selector: str) -> str:
    """The text of the first element matching a CSS selector, one line per block."""
    try:
        found = tree.cssselect(selector)
    except SelectorError:
        return ""
    if not found:
        return ""
    element = found[0]
    for junk in element.xpath(".//script|.//style|.//noscript"):
        junk.drop_tree()
    blocks = element.xpath(" | ".join(f".//{tag}" for tag in BLOCK_TAGS))
    texts = [b.text_content().strip() for b in blocks] or [element.text_content().strip()]
    return "\n".join(t for t in texts if t)


def page_fields(html: str, url: str, selector: str | None = None) -> dict[str, str | None]:
    """Title, body text, date and site name extracted from an article page."""
    if selector:
        tree = lxml.html.fromstring(html)
        text = _selected_text(tree, selector)
        if text:
            meta = extract_metadata(tree, default_url=url)
            return {"title": meta.title, "text": text, "date": meta.date, "sitename": meta.sitename}
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        return {"title": None, "text": "", "date": None, "sitename": None}
    return {"title": doc.title, "text": doc.text or "", "date": doc.date, "sitename": doc.sitename}
