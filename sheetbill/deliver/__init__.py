"""Invoice emails: built from the practice's text templates with the PDF
attached and a deterministic Message-ID, then handed to a transport (an
outbox folder of .eml files, SMTP, or Gmail)."""

from .base import Transport
from .errors import DeliveryError, PermanentFailure, TransientFailure, UnknownOutcome

__all__ = ["DeliveryError", "PermanentFailure", "Transport", "TransientFailure",
           "UnknownOutcome"]
