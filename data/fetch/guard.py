"""Which addresses the fetcher may connect to: public ones, and the hosts an operator allows.

A feed is untrusted input: its links, and the redirects of the pages they lead to, could point the
fetcher at the machine it runs on (127.0.0.1, ::1, "localhost"), the local network (10.0.0.0/8,
192.168.0.0/16, ...) or a cloud metadata service (169.254.169.254). Every host name is resolved
and every address it resolves to is checked, and the connection is then made to those checked
addresses only, so a name that resolves differently a moment later (DNS rebinding) gets nowhere.

Intranet feeds are allowed explicitly: $SOROTAN_ALLOW_HOSTS (comma-separated host names,
addresses or networks, e.g. ``127.0.0.1,intranet.example,10.0.0.0/8``), ``allow_hosts`` in the
feeds file, or the list an administrator keeps on the Data page (store meta ``allow_hosts``).
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

ALLOW_ENV = "SOROTAN_ALLOW_HOSTS"
ALLOW_META = "allow_hosts"  # store meta: the list kept on the Data page
NAT64 = ipaddress.ip_network("64:ff9b::/96")
HOST_NAME = re.compile(
    r"(?i)^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9])?)*\.?$"
)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockedAddress(OSError):
    """A host that resolves to an address the fetcher must not connect to."""


def _network(entry: str) -> Network | None:
    """An allow-list entry read as an address or network, or None when it is a host name."""
    try:
        return ipaddress.ip_network(entry.strip("[]"), strict=False)
    except ValueError:
        return None


def allow_entries(entries: Iterable[str], where: str) -> tuple[str, ...]:
    """Allow-list entries, stripped and lower-cased; ValueError naming where a bad one came from."""
    cleaned = tuple(e.strip().lower() for e in entries if e and e.strip())
    for entry in cleaned:
        if _network(entry) is None and not HOST_NAME.match(entry):
            raise ValueError(
                f"{where}: {entry!r} is neither a host name nor an address or network "
                "(e.g. intranet.example, 127.0.0.1, 10.0.0.0/8)"
            )
    return cleaned


def env_allow_hosts() -> tuple[str, ...]:
    """The hosts $SOROTAN_ALLOW_HOSTS allows."""
    return allow_entries(os.environ.get(ALLOW_ENV, "").split(","), f"${ALLOW_ENV}")


def _embedded(address: Address) -> list[Address]:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64), then the address."""
    if not isinstance(address, ipaddress.IPv6Address):
        return [address]
    carried = [address.ipv4_mapped, address.sixtofour, (address.teredo or (None, None))[1]]
    if address in NAT64:
        carried.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [*(a for a in carried if a is not None), address]


def not_public(address: Address) -> str | None:
    """What kind of non-public address this is (loopback, private, ...), or None when public."""
    for candidate in _embedded(address):
        kinds = [
            (candidate.is_loopback, "a loopback address"),
            (candidate.is_link_local, "a link-local address"),
            (candidate.is_multicast, "a multicast address"),
            (candidate.is_unspecified, "an unspecified address"),
            (candidate.is_private, "a private address"),
            (candidate.is_reserved, "a reserved address"),
            (not candidate.is_global, "not a public address"),
        ]
        for found, kind in kinds:
            if found:
                return kind
    return None


@dataclass(frozen=True)
class AddressGuard:
    """Resolves host names and refuses non-public addresses unless allowed; connects safely."""

    allow: tuple[str, ...] = ()

    @cached_property
    def _networks(self) -> tuple[Network, ...]:
        return tuple(n for n in map(_network, self.allow) if n is not None)

    @cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(e.rstrip(".") for e in self.allow if _network(e) is None)

    def _allowed(self, host: str, address: Address) -> bool:
        """Whether an operator allowed this host name or address."""
        return host.lower().rstrip(".") in self._names or any(
            address in network for network in self._networks if network.version == address.version
        )

    def _vet(self, host: str, address: Address) -> None:
        """BlockedAddress when address (which host resolved to) is neither public nor allowed."""
        kind = not_public(address)
        if kind and not self._allowed(host, address):
            shown = host if host.strip("[]") == str(address) else f"{host} ({address})"
            raise BlockedAddress(
                f"refused: {shown} is {kind}; to fetch from it, allow it with ${ALLOW_ENV}"
            )

    def addresses(self, host: str, port: int) -> list[tuple]:
        """getaddrinfo's answers for host, every one checked (an address given as the host is
        checked before any lookup); BlockedAddress names the first that is neither public nor
        allowed."""
        literal = _network(host)
        if literal is not None and literal.num_addresses == 1:  # no lookup for an address
            address = literal.network_address
            self._vet(host, address)
            if address.version == 4:
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (str(address), port))]
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (str(address), port, 0, 0))]
        answers = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
        for *_, sockaddr in answers:
            self._vet(host, ipaddress.ip_address(sockaddr[0].split("%")[0]))
        return answers

    def check(self, url: str) -> None:
        """Resolve and check the host of a URL (BlockedAddress when it must not be fetched)."""
        parts = urlsplit(url)
        self.addresses(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))

    def connect(
        self, address: tuple[str, int], timeout: float | None = None, source_address=None
    ) -> socket.socket:
        """socket.create_connection to checked addresses only (the connection classes' hook)."""
        host, port = address
        failure: OSError | None = None
        for family, kind, proto, _, sockaddr in self.addresses(host, port):
            sock = socket.socket(family, kind, proto)
            try:
                if isinstance(timeout, int | float):
                    sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                sock.close()
                failure = exc
        raise failure or OSError(f"{host} has no address")
