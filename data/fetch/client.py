"""A polite HTTP GET client: robots.txt, per-host rate limits, retries, redirects, size caps,
public addresses only (guard.py), and a deadline per request that holds whatever the server does."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit

from data.fetch.guard import AddressGuard, BlockedAddress

USER_AGENT = "Sorotan/0.1 (+https://github.com/sorotan/sorotan)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_4XX = frozenset({408, 429})  # client errors that are worth another run, not another try


@dataclass(frozen=True)
class HttpConfig:
    """How politely and patiently to fetch."""

    user_agent: str = USER_AGENT
    timeout: float = 15.0  # seconds per connect / read
    total_timeout: float = 60.0  # seconds for one whole response, however slowly it comes
    retries: int = 3  # extra tries on 5xx and connection errors
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    min_interval: float = 1.0  # seconds between requests to one host
    max_crawl_delay: float = 30.0  # a robots.txt Crawl-delay is honoured up to this
    per_host: int = 2
    workers: int = 8
    robots_ttl: float = 86_400.0
    allow_hosts: tuple[str, ...] = ()  # non-public hosts, addresses or networks allowed (guard.py)


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


class Refused(FetchError):
    """A URL whose host is not a public address (and not allowed): never connected to."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=True)


class Deadline:
    """A request's total time limit: when it passes, the request's socket is shut down, which
    ends any read however the server trickles its bytes (a per-read timeout alone would not)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _shut(self) -> None:
        """Shut the watched socket down, on the socket itself (under TLS, too: no TLS shutdown)."""
        if self._sock is not None:
            with contextlib.suppress(OSError):  # closed already
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def watch(self, sock: socket.socket) -> socket.socket:
        """Shut sock down when the deadline passes (at once if it has); sock."""
        with self._lock:
            self._sock = sock
            if self.expired:
                self._shut()
        return sock

    def close(self) -> None:
        """The request is over: stop watching before its socket is closed."""
        with self._lock:
            self._sock = None
        self._timer.cancel()


class _Guarded:
    """Connection mixin: connect only to checked addresses, and let the deadline watch the socket
    (the plain one during a TLS handshake, the TLS one after it)."""

    def __init__(self, *args: Any, guard: AddressGuard, deadline: Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = lambda *a, **k: deadline.watch(guard.connect(*a, **k))
        self._deadline = deadline

    def connect(self) -> None:
        super().connect()
        self._deadline.watch(self.sock)


class _GuardedHTTPConnection(_Guarded, http.client.HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guarded, http.client.HTTPSConnection):
    pass


class _GuardedOpening:
    """Handler mixin: connections of connection_class, through the guard, under the deadline."""

    connection_class: type[http.client.HTTPConnection]

    def __init__(self, guard: AddressGuard) -> None:
        super().__init__()
        self.guard = guard

    def _connection(self, req: urllib.request.Request) -> Any:
        return partial(self.connection_class, guard=self.guard, deadline=req.deadline)


class _GuardedHTTPHandler(_GuardedOpening, urllib.request.HTTPHandler):
    connection_class = _GuardedHTTPConnection

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection(req), req)


class _GuardedHTTPSHandler(_GuardedOpening, urllib.request.HTTPSHandler):
    connection_class = _GuardedHTTPSConnection

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(self._connection(req), req, context=self._context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every redirect back to the caller, which follows it with robots and loop checks."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _host(url: str) -> str:
    """scheme://host[:port] of a URL, the key of rate limits and robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _too_slow(deadline: Deadline) -> FetchError:
    return FetchError(f"took longer than {deadline.seconds:g} s in all")


def _read_capped(stream: Any, encoding: str | None, max_bytes: int, deadline: Deadline) -> bytes:
    """The (decompressed) body of a response, aborting past max_bytes or the deadline (checked
    after every read, each of which returns as soon as any bytes arrive)."""
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in ("gzip", "deflate") else None
    out = bytearray()
    try:
        while chunk := stream.read1(65_536):
            if inflate is not None:
                chunk = inflate.decompress(chunk, max_bytes - len(out) + 1)
            out += chunk
            if len(out) > max_bytes:
                raise FetchError(f"larger than {max_bytes:,} bytes", permanent=True)
            if deadline.expired:
                raise _too_slow(deadline)
        if inflate is not None:
            out += inflate.flush()
    except zlib.error as exc:
        raise FetchError(f"corrupt {encoding} body: {exc}") from exc
    if deadline.expired:  # the socket was shut down: what came is cut short
        raise _too_slow(deadline)
    return bytes(out)


class HttpClient:
    """A polite, thread-safe HTTP GET client with robots.txt, rate limits, retries and caps."""

    def __init__(self, config: HttpConfig | None = None) -> None:
        self.config = config or HttpConfig()
        self.guard = AddressGuard(self.config.allow_hosts)
        self._opener = urllib.request.build_opener(
            _NoRedirect,
            _GuardedHTTPHandler(self.guard),
            _GuardedHTTPSHandler(self.guard),
            urllib.request.ProxyHandler({}),  # the address check needs a direct connection
        )
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
        except Refused:
            raise
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

    def _check_address(self, url: str) -> None:
        """Refuse a URL (and each redirect) whose host is not public, before robots.txt or the
        request; the connection checks the addresses it uses again."""
        try:
            self.guard.check(url)
        except BlockedAddress as exc:
            raise Refused(str(exc)) from exc
        except (OSError, ValueError, UnicodeError) as exc:  # no such host, a malformed one
            raise FetchError(f"connection failed: {exc}") from exc

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
        with self._lock:
            self.requests += 1
        request.deadline = deadline = Deadline(self.config.total_timeout)
        try:
            with self._opener.open(request, timeout=self.config.timeout) as raw:
                try:
                    return self._response(raw, deadline)
                finally:
                    deadline.close()
        except urllib.error.HTTPError as exc:
            exc.close()
            return Response(url, exc.code, exc.headers)
        except FetchError:
            raise
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            raise self._failure(exc, deadline) from exc
        finally:
            deadline.close()
            slot.release()

    def _response(self, raw: Any, deadline: Deadline) -> Response:
        """A response read in full, within the size cap and the deadline."""
        length = raw.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.config.max_bytes:
            raise FetchError(f"larger than {self.config.max_bytes:,} bytes", permanent=True)
        body = _read_capped(
            raw, raw.headers.get("Content-Encoding"), self.config.max_bytes, deadline
        )
        return Response(raw.geturl(), raw.status, raw.headers, body)

    def _failure(self, exc: Exception, deadline: Deadline) -> FetchError:
        """The FetchError a failed request stands for."""
        reason = getattr(exc, "reason", exc)
        if deadline.expired:
            return _too_slow(deadline)
        if isinstance(reason, BlockedAddress):
            return Refused(str(reason))
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            return FetchError(f"timed out after {self.config.timeout:g} s")
        if isinstance(exc, ValueError):
            return FetchError(f"invalid URL: {exc}", permanent=True)
        return FetchError(f"connection failed: {reason}")

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
            self._check_address(url)
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
