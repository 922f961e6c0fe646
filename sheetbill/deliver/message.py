"""The invoice email: subject and body from the practice's text templates,
the PDF attached, headers derived from the document alone.

Nothing here reads the clock or a random source, so building the message
twice gives the same bytes: the `Date` is the invoice's issue date at noon
UTC (the same calendar day almost everywhere), the MIME boundary is a hash of
the content, and the `Message-ID` comes from `message_id_for`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, time, timezone
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from ..core.document import InvoiceDocument
from ..render.context import invoice_context
from ..render.template import fill, load_template
from .errors import PermanentFailure


def message_id_for(invoice_no: str, checksum: str, sender: str) -> str:
    """`<inv-2026-0001.3f2a9c1e5b7d@practice.example>`: readable, stable for
    one invoice, different for a voided-and-reissued one (another checksum).

    Raises ValueError when `sender` has no domain.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", invoice_no.lower()).strip("-")[:40].strip("-")
    digest = hashlib.sha256(f"{invoice_no}\n{checksum}".encode()).hexdigest()[:12]
    return f"<{slug or 'invoice'}.{digest}@{_domain(sender)}>"


def invoice_message(doc: InvoiceDocument, pdf: bytes, pdf_name: str, sender: str,
                    subject_template: Path, body_template: Path,
                    reply_to: str | None = None, bcc: str | None = None) -> EmailMessage:
    """The email that carries `pdf` to the client.

    Raises `RenderError` for a broken template, `PermanentFailure` when the
    client has no usable email address, ValueError for a sender without
    domain or a document without any date.
    """
    context = invoice_context(doc)
    subject = " ".join(fill(load_template(subject_template, autoescape=False), context).split())
    body = fill(load_template(body_template, autoescape=False), context)
    day = doc.invoice.issue_date or doc.today
    if day is None:
        raise ValueError(f"invoice {doc.invoice.invoice_no or '(draft)'} has no date")

    message = EmailMessage()
    message["From"] = _sender(sender, context["practice"]["name"])
    message["To"] = _recipients(context["client"]["name"], doc.client.email, doc.client.client_id)
    if reply_to:
        message["Reply-To"] = reply_to
    if bcc:
        message["Bcc"] = bcc
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.combine(day, time(12), timezone.utc))
    message["Message-ID"] = message_id_for(doc.invoice.invoice_no, doc.invoice.checksum, sender)
    message.set_content(body, cte="quoted-printable")
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=Path(pdf_name).name)
    message.set_boundary("sheetbill-" + hashlib.sha256(body.encode() + pdf).hexdigest()[:32])
    return message


def _domain(sender: str) -> str:
    _, address = parseaddr(sender)
    local, at, domain = address.rpartition("@")
    if not (local and at and domain.strip()):
        raise ValueError(f"the sender {sender!r} is not an email address")
    try:
        return domain.strip().lower().encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"the sender {sender!r} has an invalid domain") from None


def _sender(sender: str, practice_name: str) -> str | Address:
    """The configured sender; a bare address gets the practice's name."""
    name, address = parseaddr(sender)
    return sender if name or not practice_name else Address(practice_name, addr_spec=address)


def _recipients(name: str, cell: str, client_id: str) -> list[Address]:
    """The addresses of a client's Email cell (`a@x.org` or `a@x.org; b@y.org`)."""
    display = " ".join(name.split())
    addresses = []
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", cell))):
        _, spec = parseaddr(part)
        try:
            address = Address(display, addr_spec=spec)
        except (ValueError, IndexError, HeaderParseError):
            address = None
        if address is None or "." not in address.domain:
            raise PermanentFailure(
                f"client {client_id or name}: {part!r} is not a usable email address")
        addresses.append(address)
    if not addresses:
        raise PermanentFailure(f"client {client_id or name} has no email address")
    return addresses
