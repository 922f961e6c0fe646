"""What a cycle sends: invoices and credit notes, receipts, reminders.

Each builder renders (or reuses) the PDF and returns `mail.Outgoing` items
with their mark, record and unmark writes; `mail.send_all` sends them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable

from .config import PACKAGE_TEMPLATES
from .core.changelog import Change, utc_stamp
from .core.delivery import Pending
from .core.document import document_for, receipt_for
from .core.model import Client, Invoice, Payment
from .core.plan import CellWrite
from .core.reminders import Reminder
from .mail import Outgoing, Writes
from .payments.open_amount import open_amount

SENDING = "sending (if this stays, check the Sent folder)"


@dataclass
class Context:
    """What the builders need from the worker."""

    config: object
    today: date
    now: Callable[[], object]  # the clock's now()
    store_pdf: Callable[[Path, str, bytes], Path]
    link: Callable[[Path], str]
    credit_pattern: object
    pay_links: dict = field(default_factory=dict)  # invoice -> its card pay link (payments/pay_links.py)

    def stamp(self) -> str:
        return utc_stamp(self.now())

    def invoice_document(self, inv: Invoice, client: Client, previous_balance=None):
        credit_note = self.credit_pattern.parse(inv.invoice_no) is not None
        rules = self.config.rules
        doc = document_for(inv, client, self.config.practice, rules.default_terms_days, self.today,
                            kind="credit_note" if credit_note else "invoice",
                            credits=inv.session_ids[0] if credit_note and inv.session_ids else "",
                            **({"previous_balance": previous_balance} if previous_balance else {}))
        return replace(doc, open_amount=open_amount(inv),  # the amount its payment QR code asks for
                       pay_link=self.pay_links.get(inv.invoice_no, ""))

    def email_template(self, name: str) -> Path:
        """The practice's email template, else the one sheetbill ships."""
        own = self.config.email.body_template.parent / name
        return own if own.exists() else PACKAGE_TEMPLATES / "email" / name


def invoice_item(ctx: Context, item: Pending, doc, pdf: bytes, path: Path, build_message,
                 sessions: dict) -> Outgoing:
    inv = item.invoice
    msg = build_message(doc, pdf, path.name)
    mid = msg["Message-ID"]

    def record() -> Writes:
        out = [CellWrite("invoices", inv.row, inv.invoice_no, "sent_at", "", ctx.stamp())]
        for sid in inv.session_ids:
            s = sessions.get(sid)
            if s is not None and s.billing_status in ("Invoiced", ""):
                out.append(CellWrite("sessions", s.row, sid, "billing_status", s.billing_status, "Sent"))
        return Writes(cells=out)

    return Outgoing(
        label=inv.invoice_no, message=msg,
        mark=Writes(cells=[CellWrite("invoices", inv.row, inv.invoice_no, "message_id", inv.message_id, mid)]),
        record=record,
        unmark=Writes(cells=[CellWrite("invoices", inv.row, inv.invoice_no, "message_id", mid, "")]),
        interrupted=item.interrupted)


def receipt_items(ctx: Context, payments: tuple[Payment, ...], clients: dict[str, Client], owner_of,
                  balances, renderer, lookup: bool, errors: list[str]) -> tuple[list[Outgoing], Writes]:
    """Receipts issued and not yet sent. Returns the emails and the writes for
    receipts that cannot be emailed (client without Email)."""
    from .deliver.message import receipt_message

    email = ctx.config.email
    items, other = [], Writes()
    for p in payments:
        if not p.receipt_no or (p.receipt_sent_at and p.receipt_sent_at != SENDING):
            continue
        interrupted = p.receipt_sent_at == SENDING
        if interrupted and not lookup:
            errors.append(f"{p.receipt_no} (payment {p.payment_id}) may or may not have gone out; check the "
                          f"Sent folder, then put the time in Receipt Sent At, or clear it to send again")
            continue
        client = clients.get(owner_of(p))
        if client is None:
            continue
        balance, credit = balances.get(client.client_id, (0, 0))
        folder = ctx.config.render.output
        existing = Path(folder) / f"{p.receipt_no}.pdf"
        try:
            doc = receipt_for(p, p.receipt_no, client, ctx.config.practice, credit=credit, balance=balance)
            pdf = existing.read_bytes() if existing.is_file() else renderer.render(doc)  # made once, when issued
            path = ctx.store_pdf(folder, p.receipt_no, pdf)
        except Exception as exc:
            errors.append(f"{p.receipt_no}: receipt PDF not made: {exc}")
            continue
        key = p.payment_id
        if not client.email:
            other.cells.append(CellWrite("payments", p.row, key, "receipt_sent_at", p.receipt_sent_at,
                                         "not emailed: the client has no Email"))
            continue
        try:
            msg = receipt_message(doc, pdf, path.name, email.sender, ctx.email_template("receipt_subject.txt"),
                                  ctx.email_template("receipt_body.txt"), reply_to=email.reply_to or None,
                                  bcc=email.bcc or None)
        except Exception as exc:
            errors.append(f"{p.receipt_no}: email not made: {exc}")
            continue
        items.append(Outgoing(
            label=p.receipt_no, message=msg,
            mark=Writes(cells=[CellWrite("payments", p.row, key, "receipt_sent_at", p.receipt_sent_at, SENDING)]),
            record=lambda p=p, key=key: Writes(cells=[CellWrite("payments", p.row, key, "receipt_sent_at",
                                                                SENDING, ctx.stamp())]),
            unmark=Writes(cells=[CellWrite("payments", p.row, key, "receipt_sent_at", SENDING, "")]),
            interrupted=interrupted))
    return items, other


def reminder_items(ctx: Context, reminders: list[Reminder], clients: dict[str, Client], state: dict,
                   lookup: bool, pdf_of, errors: list[str]) -> list[Outgoing]:
    from .deliver.message import reminder_message

    email = ctx.config.email
    items = []
    for r in reminders:
        inv = r.invoice
        key = f"reminder/{inv.invoice_no}"
        was = state.get(key, "")
        interrupted = was.endswith(" sending")
        if interrupted and not lookup:
            errors.append(f"Reminder {was.split()[0]} of {inv.invoice_no} may or may not have gone out; check the "
                          f"Sent folder (the next level goes out when due)")
            continue
        client = clients.get(inv.client_id)
        if client is None or not client.email:
            continue
        try:
            pdf, name = pdf_of(inv)
            msg = reminder_message(ctx.invoice_document(inv, client), pdf, name, r.level, r.days_overdue,
                                   ctx.today, email.sender, ctx.email_template("reminder_subject.txt"),
                                   ctx.email_template("reminder_body.txt"), reply_to=email.reply_to or None,
                                   bcc=email.bcc or None)
        except Exception as exc:
            errors.append(f"Reminder of {inv.invoice_no}: not made: {exc}")
            continue
        level = str(r.level)
        items.append(Outgoing(
            label=f"reminder {level} of {inv.invoice_no}", message=msg,
            mark=Writes(state={key: f"{level} sending"}),
            record=lambda inv=inv, key=key, level=level, was=was: Writes(
                state={key: level},
                log=[Change(ctx.stamp(), "sheetbill", "remind", ctx.config.tab("invoices").name, inv.invoice_no,
                            "Reminder", was.split(" ")[0] if was else "", level)]),
            unmark=Writes(state={key: was}),
            interrupted=interrupted))
    return items


def statement_item(ctx: Context, client: Client, statement, renderer, errors: list[str],
                   state: dict) -> tuple[Path | None, Outgoing | None]:
    """A statement's PDF (always) and its email (when the client has an Email and it
    was not sent before: state `statement/<client>/<from>..<to>`)."""
    from .core.document import StatementDocument
    from .deliver.message import statement_message

    period = f"{statement.date_from.isoformat()}..{statement.date_to.isoformat()}"
    doc = StatementDocument(ctx.config.practice, client, statement)
    try:
        pdf = renderer.render(doc)
        path = ctx.store_pdf(ctx.config.render.output, f"Statement {client.client_id} {period}", pdf)
    except Exception as exc:
        errors.append(f"Statement of {client.client_id} for {period}: PDF not made: {exc}")
        return None, None
    key = f"statement/{client.client_id}/{period}"
    was = state.get(key, "")
    if not client.email or (was and not was.endswith(" sending")):
        return path, None
    email = ctx.config.email
    try:
        msg = statement_message(doc, pdf, path.name, email.sender, ctx.email_template("statement_subject.txt"),
                                ctx.email_template("statement_body.txt"), reply_to=email.reply_to or None,
                                bcc=email.bcc or None)
    except Exception as exc:
        errors.append(f"Statement of {client.client_id}: email not made: {exc}")
        return path, None
    return path, Outgoing(
        label=f"statement of {client.client_id} for {period}", message=msg,
        mark=Writes(state={key: f"{ctx.stamp()} sending"}),
        record=lambda: Writes(state={key: ctx.stamp()}, log=[Change(
            ctx.stamp(), "sheetbill", "statement", ctx.config.tab("clients").name, client.client_id, "Statement",
            "", period)]),
        unmark=Writes(state={key: was}),
        interrupted=was.endswith(" sending"))
