"""Delivering alerts: a JSON Lines file, a webhook (HTTP POST of JSON), e-mail through SMTP.

The outbox (in the watcher's state) holds every alert with the channels it has not reached yet. A
round delivers what it can and saves the outbox after each delivery, so a round killed half-way
sends again at most the one delivery that was in flight; receivers can tell a repeat by the alert's
id (the JSON's `id`, the e-mail's Message-ID), and the JSON Lines file never holds an id twice.
During quiet hours webhooks and e-mail wait; the file, which wakes nobody, is written at once. A
delivery that fails is tried again in later rounds, up to MAX_ATTEMPTS rounds.
"""

from __future__ import annotations

import json
import os
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, ClassVar, Protocol

from analysis.watch.alerts import Alert

MAX_ATTEMPTS = 10
TIMEOUT = 15.0
USER_AGENT = "Sorotan-watch/1.0"


class DeliveryError(Exception):
    """A channel that could not take an alert, with the reason."""


class Channel(Protocol):
    """Somewhere alerts go."""

    name: ClassVar[str]
    held_in_quiet: ClassVar[bool]

    def send(self, alert: Alert) -> None: ...


@dataclass(frozen=True)
class JsonLinesFile:
    """Alerts appended to a file, one JSON object a line; an alert already there is not repeated."""

    path: Path
    name: ClassVar[str] = "file"
    held_in_quiet: ClassVar[bool] = False

    def ids(self) -> set[str]:
        """The ids of the alerts already in the file (a torn last line is skipped)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return set()
        ids = set()
        for line in lines:
            try:
                ids.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                continue
        return ids

    def send(self, alert: Alert) -> None:
        if alert.id in self.ids():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as file:
            if file.tell() and not self.path.read_bytes().endswith(b"\n"):
                file.write("\n")  # a line torn by a crash stays on its own line
            file.write(json.dumps(alert.to_dict(), ensure_ascii=False) + "\n")
            file.flush()
            os.fsync(file.fileno())


@dataclass(frozen=True)
class Webhook:
    """Alerts POSTed as JSON: the alert's fields and `text` (what Slack and Mattermost show)."""

    url: str
    timeout: float = TIMEOUT
    name: ClassVar[str] = "webhook"
    held_in_quiet: ClassVar[bool] = True

    def send(self, alert: Alert) -> None:
        body = json.dumps({"text": alert.text(), **alert.to_dict()}, ensure_ascii=False).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no env proxies
        try:
            with opener.open(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"webhook answered {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"webhook unreachable: {getattr(exc, 'reason', exc)}") from exc


@dataclass(frozen=True)
class Mail:
    """Alerts e-mailed through an SMTP server, as plain text with the alert's id as Message-ID."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = TIMEOUT
    name: ClassVar[str] = "email"
    held_in_quiet: ClassVar[bool] = True

    def message(self, alert: Alert) -> EmailMessage:
        """The e-mail of an alert."""
        message = EmailMessage()
        message["Subject"] = alert.subject
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = f"<{alert.id}@sorotan>"
        message.set_content(alert.text())
        return message

    def send(self, alert: Alert) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(self.message(alert))
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"e-mail not sent: {exc}") from exc


def queued(alerts: list[Alert], channels: list[Channel]) -> list[dict[str, Any]]:
    """Outbox entries for new alerts: each waits for every channel."""
    names = [channel.name for channel in channels]
    return [{"alert": alert.to_dict(), "pending": names, "attempts": 0} for alert in alerts]


@dataclass
class Delivery:
    """What delivering the outbox did: deliveries made, held for quiet hours, failed, given up."""

    delivered: int = 0
    held: int = 0
    failed: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)


def deliver(
    outbox: list[dict[str, Any]],
    channels: list[Channel],
    quiet: bool,
    save: Callable[[list[dict[str, Any]]], None],
) -> Delivery:
    """Send every pending alert to its channels (save(outbox) after each), in place; what it did.

    An entry leaves the outbox when every channel has it, or after MAX_ATTEMPTS rounds that
    failed; channels no longer configured are forgotten.
    """
    by_name = {channel.name: channel for channel in channels}
    done = Delivery()
    for entry in list(outbox):
        alert = Alert.from_dict(entry["alert"])
        failed = False
        for name in [n for n in entry["pending"] if n in by_name]:
            channel = by_name[name]
            if quiet and channel.held_in_quiet:
                done.held += 1
                continue
            try:
                channel.send(alert)
            except DeliveryError as exc:
                done.failed += 1
                done.errors.append(f"{alert.id} {name}: {exc}")
                failed = True
                continue
            done.delivered += 1
            entry["pending"] = [n for n in entry["pending"] if n != name]
            save(outbox)
        entry["pending"] = [n for n in entry["pending"] if n in by_name]
        entry["attempts"] += int(failed)
        if not entry["pending"] or entry["attempts"] >= MAX_ATTEMPTS:
            done.dropped += bool(entry["pending"])
            outbox.remove(entry)
        save(outbox)
    return done
