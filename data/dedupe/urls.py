"""Canonical URLs: one address per article, whatever mobile, AMP or tracking variant was shared."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

#: Host prefixes that serve the same article as the bare host.
HOST_PREFIXES: tuple[str, ...] = ("www.", "m.", "amp.", "mobile.")

#: Path segments that only select a mobile/AMP rendering of the same article.
RENDERING_SEGMENTS: frozenset[str] = frozenset({"amp"})

#: Query parameters that never change which article a URL points to.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "amp", "cmpid", "dclid", "fbclid", "from", "gbraid", "gclid", "gclsrc", "igsh", "igshid",
        "li_fat_id", "mkt_tok", "msclkid", "ncid", "ref", "ref_src", "ref_url", "referer",
        "referrer", "share", "source", "spm", "tag_from", "ttclid", "twclid", "utm", "wbraid",
        "xtor", "yclid", "_ga", "_gl", "_hsenc", "_hsmi",
    }
)  # fmt: skip

#: Prefixes of tracking query parameters (utm_source, mc_cid, fb_action_ids, pk_campaign, ...).
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "mc_", "fb_", "pk_", "mtm_", "hsa_")

#: Query parameters that are dropped only with these values (the default or full-article view).
DEFAULT_VALUED_PARAMS: dict[str, frozenset[str]] = {
    "page": frozenset({"1", "all"}),
    "single": frozenset({"1"}),
    "outputtype": frozenset({"amp"}),
}

_SCHEMES = frozenset({"http", "https", ""})
_WEB_SCHEME = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_DEFAULT_PORTS = frozenset({80, 443})
_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+$")
_SCHEMELESS_HOST = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d+)?(/|$)")


def web_url(value: object) -> str | None:
    """The value, stripped, when it is the address of a web page (http or https, or a host
    without a scheme); None for other schemes (javascript:, data:, mailto:) and non-addresses."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if _WEB_SCHEME.match(text) or _SCHEMELESS_HOST.match(text) else None


def canonical_url(url: str | None) -> str | None:
    """The article's URL with mobile/AMP variants, tracking parameters and fragments removed."""
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if _SCHEMELESS_HOST.match(text):
        text = "//" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    host = _canonical_host(parts.hostname or "")
    if parts.scheme.lower() not in _SCHEMES or not _HOST.match(host):
        return None
    netloc = host if port is None or port in _DEFAULT_PORTS else f"{host}:{port}"
    query = _canonical_query(parts.query)
    return f"https://{netloc}{_canonical_path(parts.path)}" + (f"?{query}" if query else "")


def _canonical_host(host: str) -> str:
    """Lowercase host without a trailing dot and without www./m./amp. prefixes."""
    host = host.lower().rstrip(".")
    stripped = True
    while stripped:
        stripped = False
        for prefix in HOST_PREFIXES:
            rest = host.removeprefix(prefix)
            if rest != host and "." in rest:
                host, stripped = rest, True
    return host


def _canonical_path(path: str) -> str:
    """Path without empty or AMP segments and without a trailing slash ('' for the root)."""
    segments = [s for s in path.split("/") if s and s.lower() not in RENDERING_SEGMENTS]
    return "".join(f"/{s}" for s in segments)


def _canonical_query(query: str) -> str:
    """Query string without tracking parameters, sorted."""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = sorted((key, value) for key, value in pairs if not _is_tracking(key, value))
    return urlencode(kept, quote_via=quote)


def _is_tracking(key: str, value: str) -> bool:
    """Whether a query parameter leaves the article unchanged."""
    name = key.lower()
    return (
        name in TRACKING_PARAMS
        or name.startswith(TRACKING_PREFIXES)
        or value.lower() in DEFAULT_VALUED_PARAMS.get(name, ())
    )
