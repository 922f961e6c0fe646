"""Why an email was not delivered, in the three kinds the worker acts on."""

from __future__ import annotations

from ..errors import SheetbillError


class DeliveryError(SheetbillError):
    """An invoice email was not handed over to the mail server.

    `transient`: trying again later may work (the worker stops sending for
    this cycle). `unknown_outcome`: the message may have been delivered, so it
    must not be sent again without a person checking. `code` is the server's
    reply code when there was one.
    """

    transient = False
    unknown_outcome = False
    addressee = False  # the server refused the address (RFC 3463 X.1.x), not the mail: the client's to fix

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class PermanentFailure(DeliveryError):
    """Refused for good (5xx, a bad address, wrong credentials): the same
    message will be refused again until someone fixes the cause."""


class TransientFailure(DeliveryError):
    """Not sent this time (4xx, connection refused, timeout): retry later."""

    transient = True


class UnknownOutcome(DeliveryError):
    """The connection broke after the message was sent and before the server
    confirmed it: it may or may not have been delivered. Do not resend blindly."""

    unknown_outcome = True
