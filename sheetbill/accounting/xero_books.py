"""The sync's remote books on Xero, through the official `xero-python` SDK.

Invoices are ACCREC with our number, tax exclusive, AUTHORISED; credit notes
ACCRECCREDIT with our number, allocated to the invoice they void (`move_credit`); payments
are made against the invoice with the reference `<Payment ID> <Invoice No>`
into the account of `accounting.payment_accounts` for their Method. Every
create sends an Idempotency-Key made from our numbers, and every document is
looked up before it is created. Xero's rate limit (60 calls a minute) is
met by waiting and trying again, at most a few times, when it answers 429.
"""

from __future__ import annotations

import functools
import time
from decimal import Decimal
from typing import Callable, Mapping, Sequence

from .journal import CREDIT_NOTE, Customer, Sale, unit_and_quantity
from .mapping import Mapper
from .remote import CreditMove, PaymentPart, Refusal, RemoteFailure
from .settings import AccountingSettings

TRIES = 4


class XeroBooks:
    name = "xero"
    needs_account = True

    def __init__(self, api, tenant_id: str, settings: AccountingSettings, minor: Decimal,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        """`api`: a `xero_python.accounting.AccountingApi`."""
        from xero_python import accounting  # type: ignore[import-untyped]

        self.api, self.tenant, self.settings, self.minor, self.sleep = api, tenant_id, settings, minor, sleep
        self.m = accounting

    # -- calls, with the rate limit and errors made plain -----------------
    def _call(self, what: str, call: Callable[[], object]):
        from urllib3.exceptions import HTTPError
        from xero_python.exceptions import (  # type: ignore[import-untyped]
            AccountingBadRequestException, HTTPStatusException, RateLimitException)

        for attempt in range(TRIES):
            try:
                return call()
            except RateLimitException as exc:
                if attempt == TRIES - 1:
                    raise RemoteFailure(f"Xero's rate limit ({what}); the rest waits for the next cycle") from None
                retry = (exc.headers or {}).get("Retry-After") or "5"
                self.sleep(min(float(retry), 60.0))
            except AccountingBadRequestException as exc:
                raise RemoteFailure(f"Xero refused {what}: {exc.reason}") from None
            except HTTPStatusException as exc:
                raise RemoteFailure(f"Xero answered {exc.status} to {what}: {exc.reason}") from None
            except (OSError, HTTPError) as exc:
                raise RemoteFailure(f"Xero could not be reached ({what}): {exc}") from None
        raise RemoteFailure(f"Xero: {what} failed")  # pragma: no cover

    # -- RemoteBooks --------------------------------------------------------
    def contacts(self, customers: Sequence[Customer]) -> Mapping[str, str | Refusal]:
        out: dict[str, str | Refusal] = {}
        clauses = [f'EmailAddress=="{_q(c.email)}"' for c in customers if c.email]
        clauses += [f'Name=="{_q(c.name)}"' for c in customers]
        found = self._call("contacts", lambda: self.api.get_contacts(self.tenant, where=" OR ".join(clauses))).contacts or []
        by_email = {(c.email_address or "").lower(): c.contact_id for c in found if c.email_address}
        by_name = {(c.name or "").lower(): c.contact_id for c in found}
        missing = []
        for c in customers:
            ident = (by_email.get(c.email.lower()) if c.email else None) or by_name.get(c.name.lower())
            if ident:
                out[c.name] = ident
            else:
                missing.append(c)
        if missing:
            body = self.m.Contacts(contacts=[self.m.Contact(
                name=c.name, email_address=c.email or None, account_number=c.client_id or None,
                tax_number=c.tax_id or None) for c in missing])
            key = _key("contacts", [c.name for c in missing], body)
            made = self._call("new contacts", lambda: self.api.create_contacts(
                self.tenant, body, summarize_errors=False, idempotency_key=key)).contacts or []
            for c, answer in zip(missing, made):
                out[c.name] = _result(answer, answer.contact_id)
        return out

    def find(self, kind: str, keys: Sequence[str]) -> Mapping[str, str]:
        if not keys:
            return {}
        if kind == "invoice":
            found = self._call("invoices", lambda: self.api.get_invoices(self.tenant, invoice_numbers=list(keys))).invoices or []
            return {i.invoice_number: i.invoice_id for i in found if i.invoice_number in keys}
        if kind == CREDIT_NOTE:
            where = " OR ".join(f'CreditNoteNumber=="{_q(k)}"' for k in keys)
            notes = self._call("credit notes", lambda: self.api.get_credit_notes(self.tenant, where=where)).credit_notes or []
            return {n.credit_note_number: n.credit_note_id for n in notes if n.credit_note_number in keys}
        raise ValueError(f"unknown kind {kind}")

    def find_payments(self, parts: Sequence[PaymentPart]) -> Mapping[str, str]:
        keys = {p.reference for p in parts}
        if not keys:
            return {}
        where = " OR ".join(f'Reference=="{_q(k)}"' for k in sorted(keys))
        payments = self._call("payments", lambda: self.api.get_payments(self.tenant, where=where)).payments or []
        return {p.reference: p.payment_id for p in payments if p.reference in keys and p.status != "DELETED"}

    def create_sales(self, kind: str, sales: Sequence[Sale], contacts: Mapping[str, str],
                     credited: Mapping[str, str]) -> Mapping[str, str | Refusal]:
        mapper = Mapper(self.settings)
        if kind == CREDIT_NOTE:
            notes = self.m.CreditNotes(credit_notes=[self.m.CreditNote(
                type="ACCRECCREDIT", contact=self.m.Contact(contact_id=contacts[s.customer.name]),
                credit_note_number=s.number, date=s.date, reference=f"Voids {s.credits}" if s.credits else None,
                line_amount_types=self.m.LineAmountTypes.EXCLUSIVE, status="AUTHORISED",
                line_items=self._lines(s, mapper, sign=-1)) for s in sales])
            key = _key("credit-notes", [s.number for s in sales], notes)
            made = self._call("new credit notes", lambda: self.api.create_credit_notes(
                self.tenant, notes, summarize_errors=False, idempotency_key=key)).credit_notes or []
            return {s.number: _result(a, a.credit_note_id) for s, a in zip(sales, made)}
        invoices = self.m.Invoices(invoices=[self.m.Invoice(
            type="ACCREC", contact=self.m.Contact(contact_id=contacts[s.customer.name]), invoice_number=s.number,
            date=s.date, due_date=s.due_date, line_amount_types=self.m.LineAmountTypes.EXCLUSIVE,
            status="AUTHORISED", line_items=self._lines(s, mapper, sign=1)) for s in sales])
        key = _key("invoices", [s.number for s in sales], invoices)
        made = self._call("new invoices", lambda: self.api.create_invoices(
            self.tenant, invoices, summarize_errors=False, idempotency_key=key)).invoices or []
        return {s.number: _result(a, a.invoice_id) for s, a in zip(sales, made)}

    def create_payments(self, parts: Sequence[PaymentPart], invoices: Mapping[str, str]) -> Mapping[str, str | Refusal]:
        payments = self.m.Payments(payments=[self.m.Payment(
            invoice=self.m.Invoice(invoice_id=invoices[p.invoice_no]),
            account=self.m.Account(code=self.settings.payment_accounts.get(p.method) or
                                   self.settings.payment_accounts.get("Other", "")),
            date=p.date, amount=p.amount, reference=p.reference) for p in parts])
        key = _key("payments", [p.reference for p in parts], payments)
        made = self._call("new payments", lambda: self.api.create_payments(
            self.tenant, payments, summarize_errors=False, idempotency_key=key)).payments or []
        return {p.reference: _result(a, a.payment_id) for p, a in zip(parts, made)}

    def move_credit(self, moves: Sequence[CreditMove], ids: Mapping[str, str]) -> Mapping[str, Refusal]:
        """Allocate each credit note to the invoice it voids and to those the sheet moved its voided
        invoice's money to: up to the move less what is allocated to that invoice already (so that
        it is done once), the note's remaining credit (none where the money never was on the voided
        invoice in Xero: the note went there) and what the invoice still asks for."""
        numbers = sorted({m.credit_note for m in moves})
        where = " OR ".join(f'CreditNoteNumber=="{_q(n)}"' for n in numbers)
        notes = {n.credit_note_number: n for n in self._call(
            "credit notes", lambda: self.api.get_credit_notes(self.tenant, where=where)).credit_notes or []}
        moves = [m for m in moves if m.credit_note in notes and _dec(notes[m.credit_note].remaining_credit) > 0]
        if not moves:
            return {}
        targets = sorted({m.invoice_no for m in moves})
        invoices = {i.invoice_number: i for i in self._call("invoices", lambda: self.api.get_invoices(
            self.tenant, invoice_numbers=targets)).invoices or []}
        out: dict[str, Refusal] = {}
        for m in moves:
            note, invoice = notes[m.credit_note], invoices.get(m.invoice_no)
            if invoice is None:
                continue
            done = sum((_dec(a.amount) for a in note.allocations or []
                        if a.invoice is not None and a.invoice.invoice_id == invoice.invoice_id), Decimal(0))
            apply = min(m.amount - done, _dec(note.remaining_credit), _dec(invoice.amount_due))
            if apply <= 0:
                continue
            day = max(m.date, invoice.date) if invoice.date else m.date
            allocation = self.m.Allocations(allocations=[self.m.Allocation(
                invoice=self.m.Invoice(invoice_id=invoice.invoice_id), amount=apply, date=day)])
            key = _key("allocation", [m.credit_note, m.invoice_no], allocation)
            try:
                self._call("an allocation", functools.partial(self.api.create_credit_note_allocation, self.tenant,
                                                              note.credit_note_id, allocation, idempotency_key=key))
            except RemoteFailure as exc:
                out[m.credit_note] = Refusal(str(exc))
                continue
            note.remaining_credit = _dec(note.remaining_credit) - apply
            invoice.amount_due = _dec(invoice.amount_due) - apply
        return out

    # -- helpers ------------------------------------------------------------
    def _lines(self, sale: Sale, mapper: Mapper, sign: int) -> list:
        out = []
        for line in sale.lines:
            booking = mapper.line(line, need_account=True, need_tax_code=True)
            quantity, unit = unit_and_quantity(line, self.minor)
            out.append(self.m.LineItem(
                description=line.description or line.code, quantity=sign * quantity, unit_amount=unit,
                account_code=booking.account, tax_type=booking.tax_code, tax_amount=sign * line.tax,
                item_code=self.settings.services[line.code.upper()].item
                if line.code.upper() in self.settings.services and self.settings.services[line.code.upper()].item
                else None))
        return out


def _result(answer, ident) -> str | Refusal:
    errors = answer.validation_errors or []
    if errors:
        return Refusal("; ".join(e.message for e in errors if e.message) or "refused")
    return str(ident) if ident else Refusal("no id in Xero's answer")


def _dec(value) -> Decimal:
    """An amount from Xero's answer (a float in the SDK's model) as a Decimal of its printed value."""
    return Decimal(str(value)) if value is not None else Decimal(0)


def _q(text: str) -> str:
    return text.replace('"', '\\"')


def _key(kind: str, keys: Sequence[str], body: object) -> str:
    """The same request gets the same Idempotency-Key (a retry of a request whose answer was lost
    is answered, not done again); a changed request (a corrected account) gets a new one."""
    import hashlib

    text = "\x1f".join([*keys, repr(body)])
    return f"sheetbill-{kind}-" + hashlib.sha256(text.encode()).hexdigest()[:32]
