"""What every email of the practice has in common: subject and body from its
text templates, the client's addresses, PDFs attached, and headers derived
from the document alone.

Nothing here reads the clock or a random source, so composing a message
twice gives the same bytes: the `Date` is the document's day at noon UTC
(the same calendar day almost everywhere), the MIME boundary is a hash of the
content, and the `Message-ID` is made by `message_id` from what identifies
the document.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timezone
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any

from ..render.template import fill, load_template
from .errors import PermanentFailure


def message_id(labels: tuple[str, ...], key: str, sender: str) -> str:
    """`<receipt.rcpt-2026-0001.3f2a9c1e5b7d@practice.example>`: the labels made
    readable (empty ones left out), then a hash of `key` (what makes the
    message unique), at the sender's domain. Raises ValueError when `sender`
    has no domain."""
    readable = ".".join(filter(None, map(slug, labels)))
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return f"<{readable}.{digest}@{_domain(sender)}>" if readable else \
        f"<{digest}@{_domain(sender)}>"


def slug(label: str) -> str:
    """`INV/2026 Müller` -> `inv-2026-m-ller`: at most 40 of [a-z0-9-]."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40].strip("-")


def compose(context: Mapping[str, Any], day: date, message_id: str, sender: str,
            subject_template: Path, body_template: Path, attachment: tuple[bytes, str],
            reply_to: str | None = None, bcc: str | None = None) -> EmailMessage:
    """The email to the context's client: subject (one line) and body filled in
    with `context` (a document's template context, with `client` and
    `practice`), the PDF `attachment` (bytes, file name) attached.

    Raises `RenderError` for a broken template, `PermanentFailure` when the
    client has no usable email address, ValueError for a sender without domain.
    """
    subject = " ".join(fill(load_template(subject_template, autoescape=False), context).split())
    body = fill(load_template(body_template, autoescape=False), context)
    pdf, pdf_name = attachment
    client = context["client"]
    message = EmailMessage()
    message["From"] = _sender(sender, context["practice"]["name"])
    message["To"] = _recipients(" ".join(client["name"].split()), client["email"], client["id"])
    if reply_to:
        message["Reply-To"] = reply_to
    if bcc:
        message["Bcc"] = bcc
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.combine(day, time(12), timezone.utc))
    message["Message-ID"] = message_id
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
    addresses = []
    if any(ord(c) < 32 or ord(c) == 127 for c in cell):  # refused, never cut: a header must not be split
        raise PermanentFailure(f"client {client_id or name}: the Email has a line break or control character")
    for part in filter(None, (p.strip() for p in re.split(r"[;,]", cell))):
        _, spec = parseaddr(part)
        try:
            address = Address(name, addr_spec=spec)
        except (ValueError, IndexError, HeaderParseError):
            address = None
        if address is None or "." not in address.domain:
            raise PermanentFailure(
                f"client {client_id or name}: {part!r} is not a usable email address")
        addresses.append(address)
    if not addresses:
        raise PermanentFailure(f"client {client_id or name} has no email address")
    return addresses
