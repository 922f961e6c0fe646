"""Sending through the practice's SMTP server (smtplib), one connection per message.

Every failure becomes a `DeliveryError` of the kind the worker acts on:
- `PermanentFailure`: the server refused for good (5xx reply, a bad
  address, wrong credentials, no STARTTLS or AUTH, an untrusted certificate);
- `TransientFailure`: nothing was delivered and a later try may work (4xx
  reply, connection refused, DNS failure, timeout before the message went);
- `UnknownOutcome`: the connection broke after the DATA command, so the
  server may have accepted the message: it must not be resent blindly.

The password is given by the caller (read from the environment, never from
the YAML config) and is sent only to the configured server.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import getaddresses
from typing import TYPE_CHECKING, Literal

from .errors import DeliveryError, PermanentFailure, TransientFailure, UnknownOutcome

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

Security = Literal["starttls", "ssl", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "ssl", "none")


def as_security(text: str) -> Security:
    """The config's `security` text as a Security, or ValueError."""
    for security in SECURITIES:
        if security == text:
            return security
    raise ValueError(f"security must be starttls, ssl or none, not {text!r}")


class SmtpTransport:
    """Sends each message over its own connection to `host:port`."""

    name = "smtp"

    def __init__(self, host: str, port: int, security: Security, username: str | None,
                 password: str | None, timeout: float = 30, local_hostname: str | None = None,
                 ssl_context: ssl.SSLContext | None = None,
                 login_hint: str = "check the username and the password") -> None:
        if security not in ("starttls", "ssl", "none"):
            raise ValueError(f"security must be starttls, ssl or none, not {security!r}")
        self.host, self.port, self.security = host, port, security
        self.username, self._password = username, password
        self.timeout, self.local_hostname = timeout, local_hostname
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.login_hint = login_hint  # what to check when the server refuses the login

    def __repr__(self) -> str:  # never shows the password
        return f"SmtpTransport({self.host}:{self.port}, {self.security}, user={self.username!r})"

    def send(self, msg: EmailMessage) -> str:
        message_id = msg["Message-ID"]
        if not message_id:
            raise PermanentFailure("the message has no Message-ID")
        client: _Smtp | _SmtpSsl | None = None
        try:
            client = self._open()
            refused = client.send_message(msg)
        except (smtplib.SMTPException, OSError) as error:
            if client is not None:
                client.close()
            raise self._failure(error, client is not None and client.data_started) from error
        _quit(client)
        missed = {address: reply for address, reply in refused.items()
                  if address.lower() in _principal_recipients(msg)}
        if missed:  # accepted for a Bcc only: the client did not get it
            raise _refusal(f"{self._where} refused", missed)
        return message_id

    def already_sent(self, message_id: str, document: str = "") -> bool:
        """SMTP cannot look a message up: never known to be sent (a person decides)."""
        return False

    def check(self) -> None:
        """Connect, secure the connection and log in, then hang up: proves the
        settings work without sending anything. Raises `DeliveryError`."""
        try:
            client = self._open()
        except (smtplib.SMTPException, OSError) as error:
            raise self._failure(error, after_data=False) from error
        _quit(client)

    @property
    def _where(self) -> str:
        return f"the mail server {self.host}:{self.port}"

    def _open(self) -> _Smtp | _SmtpSsl:
        """A client connected (TLS from the start with security `ssl`),
        switched to TLS (`starttls`) and logged in (when there is a username)."""
        if self.security == "ssl":
            client: _Smtp | _SmtpSsl = _SmtpSsl(
                self.host, self.port, timeout=self.timeout,
                local_hostname=self.local_hostname, context=self.ssl_context)
        else:
            client = _Smtp(self.host, self.port, timeout=self.timeout,
                           local_hostname=self.local_hostname)
        try:
            if self.security == "starttls":
                client.starttls(context=self.ssl_context)
            if self.username:
                client.login(self.username, self._password or "")
        except BaseException:
            client.close()
            raise
        return client

    def _failure(self, error: Exception, after_data: bool) -> DeliveryError:
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            return _refusal(f"{self._where} refused", error.recipients)
        if isinstance(error, smtplib.SMTPAuthenticationError):
            return _by_code(error.smtp_code, f"{self._where} refused the login as {self.username} "
                                             f"({error.smtp_code} {_text(error.smtp_error)}): {self.login_hint}")
        if isinstance(error, smtplib.SMTPResponseException):
            reply = _text(error.smtp_error)
            return _by_code(error.smtp_code, f"{self._where} answered {error.smtp_code} {reply}")
        if after_data:
            return UnknownOutcome(
                f"the connection to {self._where} broke after the message was sent ({error}); "
                "it may or may not have been delivered")
        if isinstance(error, smtplib.SMTPNotSupportedError):
            return PermanentFailure(f"{self._where} does not support this: {error}")
        if isinstance(error, ssl.SSLCertVerificationError):
            return PermanentFailure(f"the TLS certificate of {self._where} is not trusted: "
                                    f"{error.verify_message}")
        if isinstance(error, (smtplib.SMTPServerDisconnected, OSError)):
            return TransientFailure(f"cannot reach {self._where}: {error}")
        return PermanentFailure(f"{self._where}: {error}")


class _DataTracking(smtplib.SMTP):
    """Remembers that the DATA command was sent: after that, a lost
    connection leaves the outcome unknown."""

    data_started = False

    def data(self, msg: ReadableBuffer | str) -> tuple[int, bytes]:
        self.data_started = True
        return super().data(msg)


class _Smtp(_DataTracking):
    pass


class _SmtpSsl(_DataTracking, smtplib.SMTP_SSL):
    pass


def _quit(client: smtplib.SMTP) -> None:
    """Say goodbye; the message is accepted already, so a failure here is no failure."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _principal_recipients(msg: EmailMessage) -> set[str]:
    return {address.lower() for _, address in getaddresses(msg.get_all("To", []) +
                                                           msg.get_all("Cc", []))}


def _refusal(prefix: str, recipients: dict[str, tuple[int, bytes]]) -> DeliveryError:
    """One error for refused recipients: transient if any refusal was."""
    codes = [code for code, _ in recipients.values()]
    detail = "; ".join(f"{address} ({code} {_text(reply)})"
                       for address, (code, reply) in sorted(recipients.items()))
    worst = min(codes, key=lambda code: 0 if 400 <= code < 500 else 1)
    failure = _by_code(worst, f"{prefix} {detail}")
    failure.addressee = all(_ADDRESS_STATUS.match(_text(reply)) for _, reply in recipients.values())
    return failure


_ADDRESS_STATUS = re.compile(r"[45]\.1\.\d{1,3}\b")  # RFC 3463 addressing status: no such mailbox, bad domain...


def _by_code(code: int, message: str) -> DeliveryError:
    if 500 <= code < 600:
        return PermanentFailure(message, code)
    return TransientFailure(message, code)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
