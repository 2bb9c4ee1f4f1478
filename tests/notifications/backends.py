"""A mail backend for the in-process tests that fails as told, then delivers to mail.outbox."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Raises ``error`` for the next ``failures`` sends (all of them when None)."""

    failures: int | None = 0
    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    tried = 0

    def send_messages(self, messages):
        FlakyBackend.tried += 1
        if FlakyBackend.failures is None or FlakyBackend.failures > 0:
            if FlakyBackend.failures:
                FlakyBackend.failures -= 1
            raise FlakyBackend.error
        return super().send_messages(messages)


class BrokenBackend(EmailBackend):
    """A mail server that does not answer: every send fails, as a connection refused."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")
