"""The admin at work on a real practice, and the oracle after every run.

`Desk` is the practice as one admin sees it: actions queue edits of the
workbook (made with openpyxl in one go before the next run, as in Excel),
`run()` runs the real worker with recording renderers and returns every
finding of the oracle about what that run produced. Each Desk has its own
fake Stripe (tests/fakestripe): every run makes pay links for what is open
and imports the card payments clients made through them."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl

from sheetbill import app
from sheetbill.placeholders import fill_example

from ..conftest import FixedClock, Practice, set_cell
from ..fakestripe.server import SECRET, FakeStripe
from .account import ZERO, Book, Discount, Doc, Figures, Priced, Refused, day, dec, price_session, written
from .checks import (
    check_email,
    check_invoice,
    check_lines,
    check_receipt,
    check_statement,
    check_workbook,
)
from .record import Rendered, recording_worker

START = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
LENIENT = os.environ.get("ORACLE_LENIENT") == "1"
_TEMPLATE: Path | None = None
CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>{ref}</MsgId><CreDtTm>{day}T05:00:00</CreDtTm></GrpHdr><Stmt><Id>{ref}</Id>
<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>
<AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>
<RltdPties><Dbtr><Nm>Someone</Nm></Dbtr></RltdPties>
<RmtInf><Strd><CdtrRefInf><Ref>{rf}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>
"""


def _template_practice() -> Path:
    """A practice made by `sheetbill init` once per process, copied for each example."""
    global _TEMPLATE
    if _TEMPLATE is None:
        folder = Path(tempfile.mkdtemp(prefix="oracle-template-")) / "practice"
        app.init_practice(folder)
        config = folder / "sheetbill.yaml"
        text = fill_example(config.read_text())  # the example practice's details, not init's placeholders
        for old, new in (("require_email: true", "require_email: false"),
                         ("payments:\n  account:", "payments:\n  bank:\n    folder: statements\n  account:")):
            assert old in text
            text = text.replace(old, new)
        config.write_text(text)
        _sell_stockings(folder / "practice.xlsx")
        _reverse_charge_column(folder / "practice.xlsx")
        _TEMPLATE = folder
    return _TEMPLATE


def _sell_stockings(workbook: Path) -> None:
    """Services gets a `Prices` column and STOCK, priced with its 19 % VAT in it (the admin's
    own addition, as README's VAT section says)."""
    book = openpyxl.load_workbook(workbook)
    services = book["Services"]
    headers = [c.value for c in services[1]]
    column = len(headers) + 1
    services.cell(row=1, column=column, value="Prices")
    row = services.max_row + 1
    for field, value in (("Code", "STOCK"), ("Description", "Compression stockings"), ("Unit Price", 39.9),
                         ("Tax Rate", "19%"), ("Unit", "pair"), ("Active", "Yes")):
        services.cell(row=row, column=headers.index(field) + 1, value=value)
    services.cell(row=row, column=column, value="gross")
    book.save(workbook)


def _reverse_charge_column(workbook: Path) -> None:
    """Clients gets the optional `VAT Category` column (README's VAT section), empty but for the
    clients billed under reverse charge (AE)."""
    book = openpyxl.load_workbook(workbook)
    clients = book["Clients"]
    clients.cell(row=1, column=clients.max_column + 1, value="VAT Category")
    book.save(workbook)


RECIPIENT_VAT_ID = "FR40303265045"  # a business client in France: a valid EU VAT ID


class Desk:
    def __init__(self, monthly_statements: bool = False, real_pdfs: bool = False, root: Path | None = None,
                 review: bool = False) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="oracle-"))
        folder = self.root / "practice"
        shutil.copytree(_template_practice(), folder)
        self.practice = Practice(folder, folder / "practice.xlsx", folder / "sheetbill.yaml")
        if monthly_statements:
            self.practice.configure("monthly: false", "monthly: true")
        if review:  # new invoices are drafts the admin finalizes
            self.practice.configure("finalize: auto", "finalize: review")
        self.clock = FixedClock(START)
        self.real_pdfs = real_pdfs
        self.clients: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.appends: dict[str, list[list]] = {}
        self.sets: list[tuple[str, str, str, object]] = []
        self.renders: list[Rendered] = []
        self.seen_mail: set[str] = set()
        self.book = Book({}, [], {})
        self.payment_seq = 0
        self.named: set[str] = set()  # invoices a payment or a void names before the next run
        self.refunding: dict[str, Decimal] = {}  # refunds entered since the last run, by client
        self.log: list[str] = []  # the actions, as lines of a plain test
        self.stripe = FakeStripe().start()  # the clients' card payments online
        self.card = None  # the worker's card payments on it, made with the first run
        self.cash_days: set[date] = set()  # the Cash tab's days
        self.priced: dict[str, Figures] = {}  # each invoice and credit note as priced when it was first seen
        # refunds made before their invoice's void: Payment ID -> (invoice, client, amount)
        self.refund_waits: dict[str, tuple[str, str, Decimal]] = {}

    def close(self) -> None:
        self.stripe.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def today(self) -> date:
        return self.clock.now().date()  # 09:30 UTC is the same day in Berlin

    # -- what an admin does ---------------------------------------------------
    def add_client(self, daily: bool, email: bool, discount: Discount | None = None,
                   reverse_charge: bool = False) -> str:
        """A client; `reverse_charge`: a business abroad, VAT Category AE with its VAT ID in Tax ID."""
        cid = f"C-{len(self.clients) + 1:03}"
        name = f"Client {len(self.clients) + 1}"
        self.clients[cid] = {"name": name, "daily": daily, "email": email, "discount": discount,
                             "reverse_charge": reverse_charge}
        self._append("Clients", [cid, name, f"c{len(self.clients)}@example.com" if email else None,
                                 "Street 1\n10115 Berlin", discount, 14, "daily" if daily else "per-session",
                                 RECIPIENT_VAT_ID if reverse_charge else None, None, None,
                                 "AE" if reverse_charge else None])
        self.log.append(f"add_client({daily=}, {email=}{_discount(discount)}"
                        f"{', reverse_charge=True' if reverse_charge else ''}) -> {cid}")
        return cid

    def log_session(self, cid: str, quantity: int, gel: int, days_back: int, completed: bool,
                    discount: Discount | None = None, stock: int = 0) -> str:
        """A session of LD60 with `gel` GEL and `stock` STOCK (priced gross) as extras."""
        sid = f"S-{len(self.sessions) + 1:05}"
        when = self.today - timedelta(days=days_back)
        self.sessions[sid] = {"client": cid, "day": when, "quantity": quantity, "gel": gel, "stock": stock,
                              "completed": completed, "discount": discount}
        extras = ", ".join(code if n == 1 else f"{code} x{n}" for code, n in (("GEL", gel), ("STOCK", stock)) if n)
        self._append("Sessions", [sid, when, cid, "LD60", quantity, extras or None, discount, "Maria",
                                  "Completed" if completed else "Scheduled", None])
        self.log.append(f"log_session({cid!r}, {quantity=}, {gel=}, {days_back=}, {completed=}"
                        f"{_discount(discount)}{f', {stock=}' if stock else ''}) -> {sid}")
        return sid

    def discount_client(self, cid: str, discount: Discount | None) -> None:
        """The client's Discount typed over (or cleared): it prices the client's sessions billed
        from the next run on (and drafts, made again), not the invoices already issued."""
        self.clients[cid]["discount"] = discount
        self.sets.append(("Clients", cid, "Discount", discount))
        self.log.append(f"discount_client({cid!r}, {discount!r})")

    def discount_session(self, sid: str, discount: Discount | None) -> None:
        """A session's own Discount typed over (or cleared): a draft follows it at the next run; an
        issued invoice stays as it is until it is voided and its sessions billed again."""
        self.sessions[sid]["discount"] = discount
        self.sets.append(("Sessions", sid, "Discount", discount))
        self.log.append(f"discount_session({sid!r}, {discount!r})")

    def price(self, sids) -> Figures:
        """The sessions' lines and totals as they stand now (Refused: one cannot be billed)."""
        lines: list[Priced] = []
        for sid in sids:
            s = self.sessions[sid]
            own = s["discount"]
            client = self.clients[s["client"]]
            lines += price_session(sid, s["quantity"], s["gel"], own if own is not None else client["discount"],
                                   s["stock"], client["reverse_charge"])
        return Figures(tuple(lines))

    def complete(self, sid: str) -> None:
        self.sessions[sid]["completed"] = True
        self.sets.append(("Sessions", sid, "Status", "Completed"))
        self.log.append(f"complete({sid!r})")

    def pay(self, amount: Decimal, invoice: str | None = None, client: str | None = None,
            days_back: int = 0, method: str = "Card", typed: str | None = None) -> str:
        """A Payments row; `typed`: its Amount typed as text in that style (account.written: 65,00, €65...)."""
        self.payment_seq += 1
        if amount < 0 and client:
            self.refunding[client] = self.refunding.get(client, ZERO) - amount
        if invoice:
            self.named.add(invoice)
        pid = f"P-{self.payment_seq:05}"
        self._append("Payments", [pid, self.today - timedelta(days=days_back), client, invoice,
                                  written(amount, typed) if typed else amount, method, None])
        self.log.append(f"pay(Decimal('{amount}'), invoice={invoice!r}, client={client!r}, {days_back=}, {method=}"
                        f"{f', typed={typed!r}' if typed else ''}) -> {pid}")
        return pid

    def card_payment(self, invoice_no: str) -> bool:
        """The client pays the invoice online through the pay link the last run made for it (its
        open amount then); the next run imports the payment from Stripe's events. False: it has
        no link (nothing open when the last run ended)."""
        link = next((k for k in self.stripe.of_kind("payment_link")
                     if k["active"] and k["metadata"].get("invoice_no") == invoice_no), None)
        if link is None:
            return False
        self.named.add(invoice_no)
        self.stripe.pay(link["id"], self.clock.now())
        self.log.append(f"card_payment({invoice_no!r})")
        return True

    def refund_paid_invoice(self, invoice_no: str, amount: Decimal, method: str, void: bool,
                            typed: str | None = None) -> str:
        """Money paid on an invoice given back before the invoice is voided (as a card refund made on the
        card service): a negative row naming the invoice and its client, which waits with a Problem
        saying to void the invoice; `void`: the admin sets it Void in the same save."""
        cid = self.book.docs[invoice_no].client
        pid = self.pay(-amount, invoice=invoice_no, client=cid, method=method, typed=typed)
        self.refunding[cid] -= amount  # counted in credit() while it waits
        self.refund_waits[pid] = (invoice_no, cid, amount)
        if void:
            self.void(invoice_no)
        return pid

    def bank_transfer(self, invoice_no: str, amount: Decimal, days_back: int = 0) -> None:
        """A transfer quoting the invoice's RF reference, in a CAMT.053 file dropped in the statement folder."""
        from sheetbill.payments.reference import creditor_reference

        self.named.add(invoice_no)
        self.bank_seq = getattr(self, "bank_seq", 0) + 1
        folder = self.practice.folder / "statements"
        folder.mkdir(exist_ok=True)
        booked = (self.today - timedelta(days=days_back)).isoformat()
        (folder / f"statement-{self.bank_seq:03}.xml").write_text(CAMT.format(
            ref=f"ORC-{self.bank_seq}", amount=f"{amount:.2f}", day=booked,
            rf=creditor_reference(invoice_no)), encoding="utf-8")
        self.log.append(f"bank_transfer({invoice_no!r}, {amount}, {days_back=})")

    def count_drawer(self, days_back: int, opening: Decimal | None, counted: Decimal | None) -> None:
        """A Cash row for a day that has none yet: its Opening and what was counted (either may be left empty)."""
        when = self.today - timedelta(days=days_back)
        if when in self.cash_days:
            return
        self.cash_days.add(when)
        self._append("Cash", [when, opening, counted])
        self.log.append(f"count_drawer({days_back}, {opening}, {counted})")

    def finalize(self, key: str) -> None:
        self.named.add(key)
        self.sets.append(("Invoices", key, "Status", "Finalized"))
        self.log.append(f"finalize({key!r})")

    def correct(self, sid: str, quantity: int) -> None:
        """A session's Quantity corrected while its invoice is a draft: the draft follows it."""
        self.sessions[sid]["quantity"] = quantity
        self.sets.append(("Sessions", sid, "Quantity", quantity))
        self.log.append(f"correct({sid!r}, {quantity})")

    def type_over(self, key: str, price: Decimal) -> None:
        """A draft's first line's Unit Price typed over: the draft is made again from its sessions."""
        self.named.add(key)
        self.sets.append(("Lines", key, "Unit Price", price))
        self.log.append(f"type_over({key!r}, {price})")

    def drafts(self) -> list[str]:
        """The drafts waiting for review (as the last run left them) no edit is pending on."""
        return sorted(k for k, r in self.book.drafts.items() if r.get("Status") == "Draft" and k not in self.named)

    def void(self, invoice_no: str) -> None:
        self.named.add(invoice_no)
        self.sets.append(("Invoices", invoice_no, "Status", "Void"))
        self.log.append(f"void({invoice_no!r})")

    def pass_days(self, days: int) -> None:
        self.clock.current += timedelta(days=days)
        self.log.append(f"pass_days({days})")

    def year_end(self) -> None:
        self.clock.current = datetime(self.today.year + 1, 1, 2, 9, 30, tzinfo=UTC)
        self.log.append("year_end()")

    def _append(self, tab: str, row: list) -> None:
        self.appends.setdefault(tab, []).append(row)

    def _flush(self) -> None:
        if not self.appends and not self.sets:
            return
        wb = openpyxl.load_workbook(self.practice.workbook)
        for tab, rows in self.appends.items():
            for row in rows:
                ws = wb[tab]
                ws.append([v.cell()[0] if isinstance(v, Discount) else v for v in row])
                for column, v in enumerate(row, start=1):
                    if isinstance(v, Discount):  # typed as 10% in Excel: 0.1 shown through a percent format
                        ws.cell(ws.max_row, column).number_format = v.cell()[1]
        for tab, key, header, value in self.sets:
            if header == "Discount":
                _set_discount(wb, tab, key, value)
            else:
                set_cell(wb, tab, key, header, value)
        wb.properties.lastModifiedBy = "Maria Admin"
        wb.save(self.practice.workbook)
        self.appends, self.sets = {}, []
        self.named, self.refunding = set(), {}

    # -- what the admin can see (the last run's workbook) ---------------------
    def open_invoices(self) -> list:
        """Open invoices no void is pending on (a payment and a void of one invoice in one
        go is refused with a Problem, as it should be)."""
        return [d for d in self.live_invoices() if self.book.open(d, self.today) > 0]

    def paid_invoices(self) -> list:
        """Live invoices with money paid on them, no edit pending on them nor a refund waiting for their void."""
        return [d for d in self.live_invoices() if self.book.paid(d.no, self.today) > 0
                and d.no not in {no for no, _, _ in self.refund_waits.values()}]

    def refunded_before_void(self) -> list[tuple[str, Decimal]]:
        """(Invoice, amount refunded) for each refund waiting for its invoice's void (still live,
        no edit pending on it)."""
        applied = {p.pid for p in self.book.payments}
        live = {d.no for d in self.live_invoices()}
        return sorted((no, a) for pid, (no, _, a) in self.refund_waits.items() if pid not in applied and no in live)

    def live_invoices(self) -> list:
        return [d for d in self.book.docs.values() if self.book.live(d, self.today) and d.no not in self.named]

    def credit(self, cid: str) -> Decimal:
        """What the client can be refunded now: the credit less refunds not yet applied (also those
        waiting for their invoice's void, which any credit may pay out)."""
        applied = {p.pid for p in self.book.payments}
        waiting = sum((a for pid, (_, c, a) in self.refund_waits.items() if c == cid and pid not in applied), ZERO)
        return self.book.credit(cid, self.today) - self.refunding.get(cid, ZERO) - waiting

    # -- the run and the oracle ------------------------------------------------
    def run(self) -> list[str]:
        self._flush()
        self.log.append("run()")
        first = len(self.renders)
        applied_before = {p.pid for p in self.book.payments}
        report = recording_worker(self.practice, self.clock, self.renders, self.real_pdfs, self._card()).run_once()
        self.book = book = Book.read(self.practice.workbook)
        findings = self._price_new(book)
        numbers = [int(p.pid[2:]) for p in book.payments if re.fullmatch(r"P-\d+", p.pid or "")]
        self.payment_seq = max([self.payment_seq, *numbers])  # the worker numbered the bank's payments
        today = self.today
        findings += [f"run on {today}: {e}" for e in report.errors if "has no email address" not in e]
        waits = ("is not invoiced yet", "is not finalized yet",  # paid at the desk before the invoice is made
                 "raise limits.prepayment_days")  # a long sequence may date a client's first payments
        # months before their first session or run: the typo guard holds them (the row waits, as README says)
        findings += [f"Payments {p}" for p in book.problems if not any(w in p for w in waits)
                     and not self._waits_for_void(p, book)]
        for r in self.renders[first:]:
            if r.kind == "invoice" and not r.context.get("draft"):  # a draft is on no account
                findings += check_invoice(r.context, book, today, LENIENT)
                if r.context["number"] in self.priced:
                    findings += check_lines(r.context, self.priced[r.context["number"]], LENIENT)
            elif r.kind == "receipt":
                findings += check_receipt(r.context, book, LENIENT)
            elif r.kind == "statement":
                findings += check_statement(r.context, book, LENIENT)
        receipts = [r.context.get("payment_id") for r in self.renders[first:] if r.kind == "receipt"]
        for p in book.payments:
            if p.pid not in applied_before and receipts.count(p.pid) != 1:
                findings.append(f"{'refund' if p.amount < 0 else 'payment'} {p.pid} applied on {today} "
                                f"({p.amount}): {receipts.count(p.pid)} receipts made, expected 1")
        findings += check_workbook(book, today)
        findings += self._check_billing(book)
        findings += self._check_mail(book)
        return findings

    def _waits_for_void(self, problem: str, book: Book) -> bool:
        """A refund made before its invoice's void, which is still live: its row says to void it."""
        pid = problem.split(":")[0]
        no = self.refund_waits.get(pid, ("",))[0]
        if no not in book.docs or not book.live(book.docs[no], self.today):
            return False
        return f"for {no}, which " in problem and f": void {no}," in problem

    def _card(self):
        """Card payments on this desk's fake Stripe, as app.card_payments_for wires them."""
        if self.card is None:
            from sheetbill.payments.card_cycle import CardPayments
            from sheetbill.payments.card_money import card_unit
            from sheetbill.payments.card_settings import StripeSettings
            from sheetbill.payments.stripe_gateway import StripeGateway

            config = self.practice.config
            self.card = CardPayments(StripeGateway(SECRET, self.stripe.url, retries=0), StripeSettings(),
                                     config.practice.currency, card_unit(config.practice.currency), config.timezone)
        return self.card

    def _price_new(self, book: Book) -> list[str]:
        """Price each invoice and credit note the first time a run shows it, from its sessions as
        they stand then (an invoice keeps its prices; a credit note is its invoice negated)."""
        out = []
        for no, d in sorted(book.docs.items(), key=lambda item: item[0].startswith("CN-")):
            if no in self.priced:
                continue
            if d.credit_note:
                if d.cancels in self.priced:
                    self.priced[no] = self.priced[d.cancels].negated()
                continue
            try:
                self.priced[no] = self.price(_sessions_of(book.lines.get(no, [])))
            except Refused as why:
                out.append(f"Invoices {no}: issued, but {why}")
        return out

    def _check_billing(self, book: Book) -> list[str]:
        """Every completed session on one live invoice or draft, priced as the Services tab and
        the Discounts say; one that cannot be priced (a discount above its price) on none, with
        a Problem that says why."""
        out = []
        on: dict[str, str] = {}
        for no, lines in book.lines.items():
            d = book.docs.get(no)
            if d is None and book.drafts.get(no, {}).get("Status") == "Draft":
                r = book.drafts[no]
                d = Doc(no, day(r["Issue Date"]), None, "", dec(r["Total"]), ZERO, ZERO, "Draft", "", 0,
                        dec(r.get("Net")), dec(r.get("Tax")))
            if d is None:
                continue
            if d.status == "Draft":  # a draft follows its sessions: priced as they stand now
                try:
                    expected = self.price(_sessions_of(lines))
                except Refused as why:
                    out.append(f"Invoices {no}: a draft, but {why}")
                    continue
            elif no in self.priced:
                expected = self.priced[no]
            else:
                continue
            out += check_ledger(no, d, lines, expected)
            if d.credit_note or (d.status != "Draft" and not book.live(d, self.today)):
                continue
            for line in lines:
                sid = str(line["Session ID"])
                if line["Code"] == "LD60":
                    if sid in on:
                        out.append(f"session {sid} on {on[sid]} and {no}")
                    on[sid] = no
        for sid, s in self.sessions.items():
            if self.clients[s["client"]]["daily"] and s["day"] >= self.today:
                continue  # a daily client's day is billed once it is over
            if s["completed"] and sid not in on:
                try:
                    self.price([sid])
                except Refused as why:
                    problem = str(book.sessions.get(sid, {}).get("Problem") or "")
                    if not _says_why(problem, why, s["discount"] is None):
                        out.append(f"session {sid} (completed) is not billed ({why}), and its Problem "
                                   f"says {problem!r}")
                    continue
                out.append(f"session {sid} (completed) is on no live invoice or draft")
        return out

    def _check_mail(self, book: Book) -> list[str]:
        out = []
        folder = self.practice.folder / "outbox"
        for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
            if path.name in self.seen_mail:
                continue
            self.seen_mail.add(path.name)
            import email
            from email import policy

            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            attachments = [a.get_content() for a in msg.iter_attachments()]
            context = next((r.context for r in reversed(self.renders) if attachments and r.pdf == attachments[0]),
                           None)
            reminder_open = None
            if "eminder" in str(msg["Subject"]):
                no = re.search(r"INV-\d{4}-\d{4}", str(msg["Subject"]))
                if no is None:
                    no = re.search(r"INV-\d{4}-\d{4}", msg.get_body(preferencelist=("plain",)).get_content())
                d = book.docs.get(no[0]) if no else None
                if d is None:
                    out.append(f"reminder {msg['Subject']!r}: names no invoice")
                    continue
                reminder_open = book.open(d, self.today)
            out += check_email(msg, context, self.clock.now(), reminder_open)
        return out


def _says_why(problem: str, why: Refused, clients: bool) -> bool:
    """A session's Problem names the Discount that cannot be taken, as typed (`Discount 150%`,
    `Discount 250`), and whose it is when it is the client's (the session's cell is empty)."""
    return why.args[1] in problem and (not clients or "client" in problem.lower())


def _discount(discount: Discount | None) -> str:
    return "" if discount is None else f", discount={discount!r}"


def _sessions_of(lines: list[dict]) -> list[str]:
    """The Session IDs of an invoice's Lines rows, in their order, each once."""
    return list(dict.fromkeys(str(line["Session ID"]) for line in lines))


def _set_discount(wb, tab: str, key: str, discount: Discount | None) -> None:
    """A Discount cell typed over: its value and its number format (a plain amount typed into a
    cell that showed a percentage gets the General format back, as Excel's Clear Formats would)."""
    ws = wb[tab]
    column = [c.value for c in ws[1]].index("Discount") + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            cell = ws.cell(row=row[0].row, column=column)
            cell.value, cell.number_format = discount.cell() if discount is not None else (None, "General")
            return
    raise KeyError(key)


def check_ledger(no: str, d: Doc, lines: list[dict], expected: Figures) -> list[str]:
    """An invoice's (or credit note's) Invoices row and Lines rows against the oracle's prices."""
    out = []
    said = (d.net, d.tax, d.total)
    if said != (expected.net, expected.tax, expected.total):
        out.append(f"Invoices {no}: Net/Tax/Total {'/'.join(map(str, said))}, expected "
                   f"{expected.net}/{expected.tax}/{expected.total}")
    rows = {}
    for line in lines:
        rate = Decimal(str(line["Tax Rate"]).strip().rstrip("%") or 0)
        rows[(str(line["Session ID"]), str(line["Code"]))] = (
            dec(line["Quantity"]), dec(line["Unit Price"]), dec(line["Discount"]), dec(line["Net"]), rate)
    want = {(p.session, p.code): (dec(p.quantity), p.unit_price, p.discount, p.net, p.rate) for p in expected.expected}
    if rows != want:
        for k in sorted(set(rows) | set(want)):
            if rows.get(k) != want.get(k):
                out.append(f"Lines {no} {k[0]} {k[1]}: Quantity/Unit Price/Discount/Net/Tax Rate "
                           f"{rows.get(k)}, expected {want.get(k)}")
    for rate in {rate for _, rate in expected.taxes}:
        tax = sum((t for (_, r), (_, t) in expected.taxes.items() if r == rate), ZERO)
        line_tax = sum((dec(line["Tax"]) for line in lines
                        if Decimal(str(line["Tax Rate"]).strip().rstrip("%") or 0) == rate), ZERO)
        if line_tax != tax:
            out.append(f"Lines {no}: the {rate}% lines' Tax adds up to {line_tax}, expected {tax}")
    for p in expected.expected:  # a reverse-charge line says so in the Lines tab
        said = next((str(line.get("VAT Category") or "") for line in lines
                     if (str(line["Session ID"]), str(line["Code"])) == (p.session, p.code)), "")
        if (p.category == "AE") != (said == "AE"):
            out.append(f"Lines {no} {p.session} {p.code}: VAT Category {said!r}, expected {p.category}")
    for line in lines:
        if dec(line["Net"]) + dec(line["Tax"]) != dec(line["Total"]):
            out.append(f"Lines {no} {line['Session ID']} {line['Code']}: Net {line['Net']} + Tax {line['Tax']} "
                       f"!= Total {line['Total']}")
    return out
