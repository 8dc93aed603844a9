"""A real SMTP server on loopback (aiosmtpd), for tests of the mail path.

with smtp_server(refuse_first=2) as server:
    ...  # EMAIL_HOST=127.0.0.1, EMAIL_PORT=server.port
server.received    # the messages accepted, as email.message.Message
server.refused     # how many deliveries it turned away (451, try again later)
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RecordingHandler:
    refuse_first: int = 0
    refused: int = 0
    received: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            if self.refused < self.refuse_first:
                self.refused += 1
                return "451 4.3.0 Mail server busy, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.received.append(message)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    handler: RecordingHandler

    @property
    def received(self) -> list:
        return self.handler.received

    @property
    def refused(self) -> int:
        return self.handler.refused


@contextmanager
def smtp_server(*, refuse_first: int = 0) -> Iterator[SmtpServer]:
    handler = RecordingHandler(refuse_first=refuse_first)
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port=port, handler=handler)
    finally:
        controller.stop()


def use_smtp(settings, server: SmtpServer) -> None:
    """Point Django's mail at `server` over a real SMTP connection."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
