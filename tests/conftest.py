"""Fixtures shared by every test: no test may reach the network."""

from __future__ import annotations

import socket

import pytest

LOOPBACK_PREFIXES = ("127.", "::1", "localhost", "0.0.0.0")


class NetworkBlocked(RuntimeError):
    """Raised when a test tries to reach a non-loopback address."""


def _is_local(address) -> bool:
    """True for Unix sockets and loopback hosts."""
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, bytes | str) and (
        str(host).startswith(LOOPBACK_PREFIXES) or str(host).startswith("/")
    )


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Block connections and name lookups beyond loopback; keep Hugging Face offline."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    connect, connect_ex, getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def guarded(real):
        def call(sock, address, *args, **kwargs):
            if sock.family == getattr(socket, "AF_UNIX", None) or _is_local(address):
                return real(sock, address, *args, **kwargs)
            raise NetworkBlocked(f"a test tried to reach {address!r}")

        return call

    def lookup(host, *args, **kwargs):
        if host is None or _is_local((host,)):
            return getaddrinfo(host, *args, **kwargs)
        raise NetworkBlocked(f"a test tried to look up {host!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded(connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(connect_ex))
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
