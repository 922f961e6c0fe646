"""Outgoing documents and the exactly-once send protocol.

`outgoing` builds each email (invoice, credit note, receipt, reminder, statement,
copy) from the practice's text templates with its PDF attached and a
deterministic Message-ID; `exactly_once` sends them with their mark, record and
unmark writes; `cycle` is what one cycle delivers; the transports (`base.Transport`)
are an outbox folder of .eml files, SMTP, or Gmail."""

from .base import Transport
from .errors import DeliveryError, PermanentFailure, TransientFailure, UnknownOutcome

__all__ = ["DeliveryError", "PermanentFailure", "Transport", "TransientFailure",
           "UnknownOutcome"]
