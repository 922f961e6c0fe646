"""What a cycle sends: invoices and credit notes, receipts, reminders, statements, copies.

Each builder renders (or reuses) the PDF and returns `exactly_once.Outgoing`
items with their mark, record and unmark writes; `exactly_once.send_all`
sends them. The documents sent once per key of the worker's state (statements,
superbills, invoice copies) share one builder, `once_in_state`.
Each email is dated the moment it is written (the clock's now, in the
practice's time zone) and its Message-ID is made from the document and the
workbook's own id; an email interrupted by an earlier run keeps the id it was
marked with, so it is looked up (and, if need be, sent) under that id.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from email.message import EmailMessage

from ..config import PACKAGE_TEMPLATES, Config
from ..core.account import Account, accounts
from ..core.changelog import Change, utc_stamp
from ..core.delivery import Pending
from ..core.document import document_for, receipt_for
from ..core.identity import workbook_id
from ..core.issued_to import as_issued
from ..core.marks import (cell_is_sending, copy_key, marked_id, period, reminder_key, reminder_level,
                          sending_cell, sending_state, state_is_sending, statement_key)
from ..core.model import BillingStatus, Client, Invoice, Payment
from ..core.numbering import NumberPattern
from ..core.plan import CellWrite
from ..core.reminders import Reminder
from ..render.store import PdfStore, StoredPdf
from ..core.changes import Changes
from .exactly_once import Outgoing
from ..core.kind import InvoiceKind, kind_of

__all__ = ["Context", "email_template_of", "invoice_copy_item", "invoice_item", "once_in_state", "receipt_items", "reminder_items",
           "statement_item"]


@dataclass
class Context:
    """What the builders need from the worker."""

    config: Config
    today: date
    now: Callable[[], datetime]  # the clock's now()
    pdfs: PdfStore  # where every document's PDF is kept
    credit_pattern: NumberPattern
    accounts: Mapping[str, Account] = field(default_factory=dict)  # client id -> account, after this cycle
    workbook: str = ""  # the workbook's own id, part of every Message-ID
    pay_links: dict = field(default_factory=dict)  # invoice -> its card pay link (payments/pay_links.py)

    @classmethod
    def of(cls, config: Config, now: Callable[[], datetime], pdfs: PdfStore, state: Mapping[str, str],
           clients: Iterable[Client], invoices: Iterable[Invoice], payments: Iterable[Payment],
           pay_links: dict[str, str]) -> Context:
        """Today's context, with every client's account as `invoices` and `payments` leave it and the id
        of the workbook whose `state` this is."""
        rules = config.rules
        return cls(config, now().astimezone(config.timezone).date(), now, pdfs, rules.credit_note_pattern,
                   accounts(clients, invoices, payments, rules.credit_note), workbook_id(state), pay_links)

    def stamp(self) -> str:
        return utc_stamp(self.now())

    def written(self):
        """An email's Date: now, in the practice's time zone."""
        return self.now().astimezone(self.config.timezone)

    def account(self, client_id: str) -> Account:
        return self.accounts.get(client_id) or Account(client_id, (), ())

    def invoice_document(self, inv: Invoice, client: Client):
        """The invoice as it stands today, every figure from the client's account."""
        kind = kind_of(inv.invoice_no, self.credit_pattern)
        credit_note = kind is InvoiceKind.CREDIT_NOTE
        rules = self.config.rules
        account = self.accounts.get(inv.client_id)
        figures = None
        if account is not None and account.charge(inv.invoice_no) is not None:
            figures = account.invoice(inv.invoice_no, self.today)
        doc = document_for(inv, client, self.config.practice, rules.default_terms_days, self.today,
                           kind=kind,
                           credits=inv.session_ids[0] if credit_note and inv.session_ids else "",
                           figures=figures)
        link = self.pay_links.get(inv.invoice_no, "")  # its card pay link (payments/pay_links.py), if any
        return replace(doc, pay_link=link) if link else doc

    def email_template(self, name: str) -> Path:
        return email_template_of(self.config, name)


def email_template_of(config: Config, name: str) -> Path:
    """The practice's email template `name`, else the one sheetbill ships."""
    own = config.email.body_template.parent / name
    return own if own.exists() else PACKAGE_TEMPLATES / "email" / name


def invoice_item(ctx: Context, item: Pending, doc, pdf: bytes, stored: StoredPdf, build_message,
                 sessions: dict) -> Outgoing:
    from ..einvoice.delivery import with_einvoice

    inv = item.invoice
    sent, xml = with_einvoice(doc, pdf, ctx.config.render)  # the client's E-Invoice: Factur-X PDF, or XML beside it
    if sent != pdf:  # Factur-X: the PDF kept is the one sent
        pdf, stored = sent, ctx.pdfs.save(inv.invoice_no, sent)
    row = inv.row
    assert row is not None  # invoices are sent once committed, each in its row
    msg = build_message(doc, pdf, stored.name, written=ctx.written(), workbook=ctx.workbook)
    if xml is not None:
        msg.add_attachment(xml[0], maintype="application", subtype="xml", filename=xml[1])
    if item.interrupted and inv.message_id:
        _use_id(msg, inv.message_id)
    mid = msg["Message-ID"]

    def record() -> Changes:
        out = [CellWrite("invoices", row, inv.invoice_no, "sent_at", "", ctx.stamp())]
        for sid in inv.session_ids:
            s = sessions.get(sid)
            if s is not None and (s.billing_status is BillingStatus.INVOICED or not s.billing_status_text):
                out.append(CellWrite("sessions", s.row, sid, "billing_status", s.billing_status_text,
                                     BillingStatus.SENT.value))
        return Changes.of(out)

    return Outgoing(
        label=inv.invoice_no, message=msg,
        mark=Changes.of([CellWrite("invoices", row, inv.invoice_no, "message_id", inv.message_id, mid)]),
        record=record,
        unmark=Changes.of([CellWrite("invoices", row, inv.invoice_no, "message_id", mid, "")]),
        interrupted=item.interrupted)


def invoice_copy_item(ctx: Context, doc, pdf: bytes, stored: StoredPdf, build_message, state: dict,
                      errors: list[str]) -> Outgoing | None:
    """The email of an invoice as it stands today (`sheetbill invoice --email`): once per invoice
    and day (state `copy/<invoice>/<day>`), with a Message-ID of its own."""
    from .compose import message_id

    inv = doc.invoice
    if not doc.client.email:
        return None

    def own_id() -> str:
        return message_id(("copy", inv.invoice_no, ctx.today.isoformat()),
                          f"copy\n{inv.invoice_no}\n{inv.checksum}\n{ctx.today}", ctx.config.email.sender,
                          ctx.workbook)

    def message() -> EmailMessage:
        msg = build_message(doc, pdf, stored.name, written=ctx.written(), workbook=ctx.workbook)
        _use_id(msg, own_id())
        return msg

    return once_in_state(
        ctx, copy_key(inv.invoice_no, ctx.today), state, f"{inv.invoice_no} as of {ctx.today.isoformat()}",
        message, own_id, lambda at: Change(at, "sheetbill", "invoice copy", ctx.config.tab("invoices").name,
                                           inv.invoice_no, "Emailed", "",
                                           f"{doc.status.value if doc.status else 'as of'} {ctx.today.isoformat()}"),
        errors, f"{inv.invoice_no}: email not made")


def receipt_items(ctx: Context, payments: tuple[Payment, ...], clients: dict[str, Client], owner_of,
                  renderer, lookup: bool, errors: list[str]) -> tuple[list[Outgoing], Changes]:
    """Receipts issued and not yet sent. Returns the emails and the writes for
    receipts that cannot be emailed (client without Email)."""
    from .message import receipt_message, receipt_message_id

    email = ctx.config.email
    items, other = [], Changes()
    for p in payments:
        if not p.receipt_no or (p.receipt_sent_at and not cell_is_sending(p.receipt_sent_at)):
            continue
        interrupted = cell_is_sending(p.receipt_sent_at)
        if interrupted and not lookup:
            continue  # a person decides (see core.delivery.unknown_outcomes)
        client = clients.get(owner_of(p))
        if client is None:
            continue
        account = ctx.accounts.get(client.client_id)
        if account is None:
            continue
        try:
            doc = receipt_for(p, p.receipt_no, client, ctx.config.practice, account.receipt(p.payment_id))
            kept = ctx.pdfs.link(p.receipt_no)
            pdf = ctx.pdfs.read(kept) if kept else renderer.render(doc)  # made once, when issued
            stored = ctx.pdfs.save(p.receipt_no, pdf)
        except Exception as exc:
            errors.append(f"{p.receipt_no}: receipt PDF not made: {exc}")
            continue
        key = p.payment_id
        if not client.email:
            other += Changes((CellWrite("payments", p.row, key, "receipt_sent_at", p.receipt_sent_at,
                                        "not emailed: the client has no Email"),))
            continue
        try:
            msg = receipt_message(doc, pdf, stored.name, email.sender, ctx.email_template("receipt_subject.txt"),
                                  ctx.email_template("receipt_body.txt"), reply_to=email.reply_to or None,
                                  bcc=email.bcc or None, written=ctx.written(), workbook=ctx.workbook)
            if interrupted:
                _use_id(msg, marked_id(p.receipt_sent_at) or receipt_message_id(p.receipt_no, email.sender))
        except Exception as exc:
            errors.append(f"{p.receipt_no}: email not made: {exc}")
            continue
        mark = sending_cell(msg["Message-ID"])

        def record(p: Payment = p, key: str = key, mark: str = mark) -> Changes:
            return Changes.of([CellWrite("payments", p.row, key, "receipt_sent_at", mark, ctx.stamp())])
        items.append(Outgoing(
            label=p.receipt_no, message=msg,
            mark=Changes.of([CellWrite("payments", p.row, key, "receipt_sent_at", p.receipt_sent_at, mark)]),
            record=record,
            unmark=Changes.of([CellWrite("payments", p.row, key, "receipt_sent_at", mark, "")]),
            interrupted=interrupted))
    return items, other


def reminder_items(ctx: Context, reminders: list[Reminder], clients: dict[str, Client], state: dict,
                   lookup: bool, pdf_of, errors: list[str]) -> list[Outgoing]:
    """Reminders due today; `pdf_of(doc)` gives the invoice as it stands today (PDF bytes, file
    name) to attach, so that it names the same open amount as the email, issued to the name and
    address it was sent to (core.issued_to); the email itself is to the client as Clients says."""
    from .message import reminder_message, reminder_message_id

    email = ctx.config.email
    items = []
    for r in reminders:
        inv = r.invoice
        key = reminder_key(inv.invoice_no)
        was = state.get(key, "")
        interrupted = state_is_sending(was) and reminder_level(was) == str(r.level)
        if state_is_sending(was) and not lookup:
            continue  # a person decides (see core.delivery.unknown_outcomes)
        client = clients.get(inv.client_id)
        if client is None or not client.email:
            continue
        try:
            doc = ctx.invoice_document(inv, client)
            pdf, name = pdf_of(ctx.invoice_document(inv, as_issued(client, inv, state)))
            msg = reminder_message(doc, pdf, name, r.level, r.days_overdue,
                                   ctx.today, email.sender, ctx.email_template("reminder_subject.txt"),
                                   ctx.email_template("reminder_body.txt"), reply_to=email.reply_to or None,
                                   bcc=email.bcc or None, written=ctx.written(), workbook=ctx.workbook)
            if interrupted:
                _use_id(msg, marked_id(was) or reminder_message_id(inv.invoice_no, r.level, email.sender))
        except Exception as exc:
            errors.append(f"Reminder of {inv.invoice_no}: not made: {exc}")
            continue
        level = str(r.level)

        def record(inv: Invoice = inv, key: str = key, level: str = level, was: str = was) -> Changes:
            return Changes(state={key: level},
                           log=(Change(ctx.stamp(), "sheetbill", "remind", ctx.config.tab("invoices").name,
                                       inv.invoice_no, "Reminder", reminder_level(was), level),))
        items.append(Outgoing(
            label=f"reminder {level} of {inv.invoice_no}", message=msg,
            mark=Changes(state={key: sending_state(level, msg["Message-ID"])}),
            record=record,
            unmark=Changes(state={key: was}),
            interrupted=interrupted))
    return items


def statement_item(ctx: Context, client: Client, statement, renderer, errors: list[str],
                   state: dict) -> tuple[StoredPdf | None, Outgoing | None]:
    """A statement's PDF (always) and its email (when the client has an Email and it
    was not sent before: state `statement/<client>/<from>..<to>`)."""
    from ..core.document import StatementDocument
    from .message import statement_message, statement_message_id

    doc = StatementDocument(ctx.config.practice, client, statement)
    return client_document_item(
        ctx, "Statement", doc, client, statement.date_from, statement.date_to, renderer.render,
        statement_key(client.client_id, statement.date_from, statement.date_to), state, statement_message,
        lambda sender: statement_message_id(client.client_id, statement.date_from, statement.date_to, sender),
        errors)


def client_document_item(ctx: Context, kind: str, doc, client: Client, date_from: date, date_to: date,
                         render: Callable[[Any], bytes], key: str, state: Mapping[str, str],
                         message: Callable[..., EmailMessage], older_id: Callable[[str], str],
                         errors: list[str]) -> tuple[StoredPdf | None, Outgoing | None]:
    """A client's document for a period (kind "Statement" or "Superbill"): its PDF, stored as
    `<kind> <client> <from>..<to>` (always), and its email once per `key` (when the client has
    an Email), from the `<kind>_subject.txt`/`<kind>_body.txt` templates; once that email went,
    the PDF made again (by the command) is `<kind> <client> <from>..<to> (<today>)` beside the
    one sent, which stays as the client got it. `message` takes the document, the PDF, its name,
    the sender and the templates, like statement_message."""
    span = period(date_from, date_to)
    was = state.get(key, "")
    name = f"{kind} {client.client_id} {span}"
    if was and not state_is_sending(was):
        name += f" ({ctx.today.isoformat()})"
    try:
        pdf = render(doc)
        stored = ctx.pdfs.save(name, pdf)
    except Exception as exc:  # RenderError, a folder that cannot be written
        errors.append(f"{kind} of {client.client_id} for {span}: PDF not made: {exc}")
        return None, None
    if not client.email:
        return stored, None
    email, name = ctx.config.email, kind.lower()
    return stored, once_in_state(
        ctx, key, state, f"{name} of {client.client_id} for {span}",
        lambda: message(doc, pdf, stored.name, email.sender, ctx.email_template(f"{name}_subject.txt"),
                        ctx.email_template(f"{name}_body.txt"), reply_to=email.reply_to or None,
                        bcc=email.bcc or None, written=ctx.written(), workbook=ctx.workbook),
        lambda: older_id(email.sender),
        lambda at: Change(at, "sheetbill", name, ctx.config.tab("clients").name, client.client_id, kind, "", span),
        errors, f"{kind} of {client.client_id}: email not made")


def once_in_state(ctx: Context, key: str, state: Mapping[str, str], label: str,
                  message: Callable[[], EmailMessage], older_id: Callable[[], str],
                  logged: Callable[[str], Change], errors: list[str], failed: str) -> Outgoing | None:
    """The email of a document sent once per `key` of the worker's state (a statement, a
    superbill, an invoice copy): None when it went before or its `message()` cannot be made
    (`failed: <why>` in `errors`). Marked `<time> sending <id>`, recorded as the time it went
    with `logged(time)` in the Changelog; an interrupted one keeps the id it was marked with
    (`older_id()` for an older mark that holds none)."""
    was = state.get(key, "")
    interrupted = state_is_sending(was)
    if was and not interrupted:
        return None
    try:
        msg = message()
        if interrupted:
            _use_id(msg, marked_id(was) or older_id())
    except Exception as exc:
        errors.append(f"{failed}: {exc}")
        return None

    def record() -> Changes:
        at = ctx.stamp()
        return Changes(state={key: at}, log=(logged(at),))
    return Outgoing(label=label, message=msg, mark=Changes(state={key: sending_state(ctx.stamp(), msg["Message-ID"])}),
                    record=record, unmark=Changes(state={key: was}), interrupted=interrupted)


def _use_id(msg, message_id: str) -> None:
    """An interrupted email keeps the Message-ID it was marked with (older
    versions made ids without the workbook's)."""
    del msg["Message-ID"]
    msg["Message-ID"] = message_id
