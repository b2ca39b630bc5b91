"""A real SMTP server for the tests (aiosmtpd), on a free port chosen at run time: it keeps
what it accepted and can refuse the first messages (a server that is down for a while)."""

import email
import email.policy

from aiosmtpd.controller import Controller

from ops.servers import free_port


class Handler:
    def __init__(self):
        self.received = []  # email.message.EmailMessage, in order
        self.raw = []  # the same messages as the server read them (bytes)
        self.refuse = 0  # how many more messages get « 451 » (try again later)
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            self.refused += 1
            return "451 4.3.0 Serveur occupé, réessayez plus tard"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(parsed)
        self.raw.append(envelope.content)
        return "250 Message accepted for delivery"


class SmtpServer:
    """Started by `start()`, stopped by `stop()`; `url` is its EMAIL_URL."""

    def __init__(self):
        self.handler = Handler()
        self.port = free_port()
        self.controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self):
        return self.handler.received

    @property
    def raw(self):
        return self.handler.raw

    def refuse_next(self, count):
        self.handler.refuse = count

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def mailer(self):
        """The MAILERS entry sending to this server."""
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
        }
