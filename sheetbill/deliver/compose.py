"""What every email of the practice has in common: subject and body from its
text templates, the client's addresses, PDFs attached, and headers derived
from the document alone.

Nothing here reads the clock or a random source: the `Date` is the moment
the caller says the email is written (its clock's now, in the practice's
time zone), the MIME boundary is a hash of the content, and the `Message-ID`
is made by `message_id` from what identifies the document and the workbook
that sends it, so it is the same on every attempt and never the same in two
workbooks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any

from ..language import email_template
from ..render.template import fill, load_template
from .errors import PermanentFailure


def message_id(labels: tuple[str, ...], key: str, sender: str, workbook: str = "") -> str:
    """`<receipt.rcpt-2026-0001.3f2a9c1e5b7d@practice.example>`: the labels made
    readable (empty ones left out), then a hash of `workbook` (the sending
    workbook's own id) and `key` (what makes the message unique within it),
    at the sender's domain. Without `workbook` it is the id older versions
    gave, still needed to look up an email they marked as sending. Raises
    ValueError when `sender` has no domain."""
    readable = ".".join(filter(None, map(slug, labels)))
    digest = hashlib.sha256((f"{workbook}\n{key}" if workbook else key).encode()).hexdigest()[:12]
    return f"<{readable}.{digest}@{_domain(sender)}>" if readable else \
        f"<{digest}@{_domain(sender)}>"


def slug(label: str) -> str:
    """`INV/2026 Müller` -> `inv-2026-m-ller`: at most 40 of [a-z0-9-]."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40].strip("-")


def compose(context: Mapping[str, Any], written: datetime, message_id: str, sender: str,
            subject_template: Path, body_template: Path, attachment: tuple[bytes, str] | None,
            reply_to: str | None = None, bcc: str | None = None) -> EmailMessage:
    """The email to the context's client: subject (one line) and body filled in
    with `context` (a document's template context, with `client` and
    `practice`), the PDF `attachment` (bytes, file name) attached where there is
    one, dated `written` (an aware datetime, shown in its own time zone).

    The context's `language` picks the templates of that language where there
    are some (`sheetbill.language.email_template`), else the ones given.

    Raises `RenderError` for a broken template, `PermanentFailure` when the
    client has no usable email address, ValueError for a sender without domain.
    """
    language = context.get("language", "")
    subject_template = email_template(subject_template, language)
    body_template = email_template(body_template, language)
    subject = " ".join(fill(load_template(subject_template, autoescape=False), context).split())
    body = fill(load_template(body_template, autoescape=False), context)
    client = context["client"]
    message = EmailMessage()
    message["From"] = _sender(sender, context["practice"]["name"])
    message["To"] = _recipients(" ".join(client["name"].split()), client["email"], client["id"])
    if reply_to:
        message["Reply-To"] = reply_to
    if bcc:
        message["Bcc"] = bcc
    _set_subject(message, subject)
    if written.tzinfo is None:
        raise ValueError("an email's Date needs a time zone")
    message["Date"] = format_datetime(written)
    message["Message-ID"] = message_id
    message.set_content(body, cte="quoted-printable")
    if attachment is not None:
        pdf, pdf_name = attachment
        message.add_attachment(pdf, maintype="application", subtype="pdf",
                               filename=Path(pdf_name).name)
        message.set_boundary("sheetbill-" + hashlib.sha256(body.encode() + pdf).hexdigest()[:32])
    return message


def _set_subject(message: EmailMessage, subject: str) -> None:
    """The Subject, folded so that it reads back with the spaces it has. A non-ASCII subject is
    written as encoded words throughout: the email package's own folding puts an ASCII word's
    space before the line break that starts an encoded word, and a mail program reads the two as
    two spaces ("vielen Dank  für")."""
    if subject.isascii():
        message["Subject"] = subject
    else:
        message.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())


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
