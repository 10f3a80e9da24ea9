"""A polite HTTP GET client: robots.txt, per-host rate limits, retries, redirects, size caps."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

USER_AGENT = "Sorotan/0.1 (+https://github.com/sorotan/sorotan)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_4XX = frozenset({408, 429})  # client errors that are worth another run, not another try


@dataclass(frozen=True)
class HttpConfig:
    """How politely and patiently to fetch."""

    user_agent: str = USER_AGENT
    timeout: float = 15.0  # seconds per connect / read
    total_timeout: float = 60.0  # seconds for one whole response
    retries: int = 3  # extra tries on 5xx and connection errors
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    min_interval: float = 1.0  # seconds between requests to one host
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay is honoured up to this
    per_host: int = 2
    workers: int = 8
    robots_ttl: float = 86_400.0


class FetchError(Exception):
    """A URL that could not be fetched, with why, how often it was tried and whether to try later."""

    def __init__(
        self, reason: str, *, status: int | None = None, attempts: int = 1, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.attempts = attempts
        self.permanent = permanent


@dataclass(frozen=True)
class Response:
    """A finished HTTP response: the final URL after redirects, status, headers and body."""

    url: str
    status: int
    headers: Message
    body: bytes = b""

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to the caller, which follows it with robots and loop checks."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _host(url: str) -> str:
    """scheme://host[:port] of a URL, the key of rate limits and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _read_capped(stream: Any, encoding: str | None, max_bytes: int, deadline: float) -> bytes:
    """The (decompressed) body of a response, aborting past max_bytes or the deadline."""
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in ("gzip", "deflate") else None
    out = bytearray()
    try:
        while chunk := stream.read(65_536):
            if inflate is not None:
                chunk = inflate.decompress(chunk, max_bytes - len(out) + 1)
            out += chunk
            if len(out) > max_bytes:
                raise FetchError(f"larger than {max_bytes:,} bytes", permanent=True)
            if time.monotonic() > deadline:
                raise FetchError("timed out while reading")
        if inflate is not None:
            out += inflate.flush()
    except zlib.error as exc:
        raise FetchError(f"corrupt {encoding} body: {exc}") from exc
    return bytes(out)


class HttpClient:
    """A polite, thread-safe HTTP GET client with robots.txt, rate limits, retries and caps."""

    def __init__(self, config: HttpConfig | None = None) -> None:
        self.config = config or HttpConfig()
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_at: dict[str, float] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots: dict[str, dict[str, Any]] = {}
        self._parsers: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.requests = 0
        self.not_modified = 0

    # politeness

    def _delay(self, host: str) -> float:
        """Seconds between two requests to host: the minimum interval or the site's Crawl-delay."""
        parser = self._parsers.get(host)
        crawl = parser.crawl_delay(self.config.user_agent) if parser else None
        return max(self.config.min_interval, min(float(crawl or 0), self.config.max_crawl_delay))

    def _wait_turn(self, host: str) -> threading.Semaphore:
        """Block until host may be asked again; the held per-host slot, to release afterwards."""
        with self._lock:
            slot = self._slots.setdefault(host, threading.Semaphore(self.config.per_host))
        slot.acquire()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_at.get(host, 0.0))
            self._next_at[host] = start + self._delay(host)
        time.sleep(start - now)
        return slot

    def load_robots(self, cached: dict[str, dict[str, Any]]) -> None:
        """Reuse robots.txt files fetched earlier (host -> {fetched_at, status, text})."""
        with self._lock:
            for host, entry in cached.items():
                self._robots.setdefault(host, entry)

    def robots_cache(self) -> dict[str, dict[str, Any]]:
        """The robots.txt files worth keeping for later runs."""
        with self._lock:
            return {h: e for h, e in self._robots.items() if e.get("status") is not None}

    def _robots_entry(self, host: str) -> dict[str, Any]:
        """host's robots.txt, fetched unless a fresh copy is cached."""
        entry = self._robots.get(host)
        if entry and time.time() - entry.get("fetched_at", 0) < self.config.robots_ttl:
            return entry
        try:
            response = self.get(f"{host}/robots.txt", check_robots=False, accept=(200, 404, 410))
            entry = {"status": response.status, "text": response.body.decode("utf-8", "replace")}
        except FetchError as exc:
            status = exc.status if exc.status and exc.status < 500 else None
            entry = {"status": status, "text": "", "error": exc.reason}
        return {**entry, "fetched_at": time.time()}

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this client fetch url (an unreachable robots.txt forbids)."""
        host = _host(url)
        with self._lock:
            host_lock = self._robots_locks.setdefault(host, threading.Lock())
        with host_lock:
            entry = self._robots_entry(host)
            if entry is not self._robots.get(host) or host not in self._parsers:
                parser = urllib.robotparser.RobotFileParser()
                status = entry.get("status")
                if status is None or status in (401, 403):
                    parser.disallow_all = True
                elif status >= 400:
                    parser.allow_all = True
                else:
                    parser.parse(entry["text"].splitlines())
                with self._lock:
                    self._robots[host] = entry
                    self._parsers[host] = parser
            return self._parsers[host].can_fetch(self.config.user_agent, url)

    # requests

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        """One request, no retries; HTTP errors come back as responses, network errors raise."""
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.config.user_agent,
                "Accept-Encoding": "gzip",
                **headers,
            },
        )
        slot = self._wait_turn(_host(url))
        try:
            with self._lock:
                self.requests += 1
            deadline = time.monotonic() + self.config.total_timeout
            try:
                with self._opener.open(request, timeout=self.config.timeout) as raw:
                    length = raw.headers.get("Content-Length")
                    if length and length.isdigit() and int(length) > self.config.max_bytes:
                        raise FetchError(
                            f"larger than {self.config.max_bytes:,} bytes", permanent=True
                        )
                    body = _read_capped(
                        raw, raw.headers.get("Content-Encoding"), self.config.max_bytes, deadline
                    )
                    return Response(raw.geturl(), raw.status, raw.headers, body)
            except urllib.error.HTTPError as exc:
                exc.close()
                return Response(url, exc.code, exc.headers)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
                    raise FetchError(f"timed out after {self.config.timeout:g} s") from exc
                raise FetchError(f"connection failed: {reason}") from exc
            except ValueError as exc:
                raise FetchError(f"invalid URL: {exc}", permanent=True) from exc
        finally:
            slot.release()

    def _with_retries(self, url: str, headers: dict[str, str]) -> Response:
        """One URL, retried with exponential backoff on 5xx and connection errors."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._once(url, headers)
            except FetchError as exc:
                if exc.permanent or attempt > self.config.retries:
                    exc.attempts = attempt
                    raise
            else:
                if response.status < 500:
                    return response
                if attempt > self.config.retries:
                    status = response.status
                    raise FetchError(f"HTTP {status}", status=status, attempts=attempt)
            time.sleep(self.config.backoff * 2 ** (attempt - 1))

    def get(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        *,
        check_robots: bool = True,
        accept: Iterable[int] = (200, 304),
    ) -> Response:
        """GET url following redirects; a response whose status is in accept, else FetchError."""
        headers = headers or {}
        visited = [url]
        while True:
            if check_robots and not self.allowed(url):
                raise FetchError("disallowed by robots.txt", permanent=True)
            response = self._with_retries(url, headers)
            location = response.headers.get("Location")
            if response.status not in REDIRECT_CODES or not location:
                break
            url = urljoin(url, location)
            if url in visited:
                raise FetchError(f"redirect loop at {url}", permanent=True)
            if len(visited) > self.config.max_redirects:
                raise FetchError(f"more than {self.config.max_redirects} redirects", permanent=True)
            visited.append(url)
        if response.status == 304:
            with self._lock:
                self.not_modified += 1
        if response.status not in set(accept):
            status = response.status
            permanent = 400 <= status < 500 and status not in RETRY_AFTER_4XX
            raise FetchError(f"HTTP {status}", status=status, permanent=permanent)
        return response
