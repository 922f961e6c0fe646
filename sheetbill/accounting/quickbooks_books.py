"""The sync's remote books on QuickBooks Online, through the official `python-quickbooks`
client (signed in with `intuit-oauth`).

Customers are matched by email, else display name, and created where absent.
Invoices and credit memos carry our number as DocNumber and are looked up by
it before any create; their lines name the QuickBooks item of the service
(`accounting.services.<CODE>.item`, else the Code) and the tax code of
`rates`/`services`. Payments are found by their private note (our reference
`<Payment ID> <Invoice No>`) among the payments of their dates. A credit memo is
applied to the invoice it voids (and to those its money went on to) by a payment of
0 linking both, found again by its private note `<credit note> <invoice>`. Every other
create carries a `requestid` made from the request, which QuickBooks answers
without doing twice.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from decimal import Decimal
from typing import Callable, Mapping, Sequence

from .journal import CREDIT_NOTE, Customer, Sale, unit_and_quantity
from .mapping import Mapper
from .remote import CreditMove, PaymentPart, Refusal, RemoteFailure
from .settings import AccountingSettings


class QuickBooksBooks:
    name = "quickbooks"
    needs_account = False

    def __init__(self, connect: Callable[[], object], settings: AccountingSettings, minor: Decimal) -> None:
        """`connect()`: a signed-in `quickbooks.QuickBooks` client (made on first use, so that
        QuickBooks being away never stops the invoicing)."""
        self._connect, self.settings, self.minor = connect, settings, minor
        self._qb: object = None

    @property
    def qb(self):
        if self._qb is None:
            self._qb = self._connect()
        return self._qb

    # -- calls --------------------------------------------------------------
    def _query(self, what: str, select: str) -> list[dict]:
        answer = self._do(what, lambda: self.qb.query(select))
        return list(answer.get("QueryResponse", {}).get(what, []))

    def _create(self, what: str, body: dict, once: bool = True) -> dict | Refusal:
        """`once`: the request id is made from the request (QuickBooks answers a repeat with its first
        answer, a refusal too); else a new one, for a document the caller finds again by itself."""
        from quickbooks.mixins import DecimalEncoder  # type: ignore[import-untyped]

        text = json.dumps(body, cls=DecimalEncoder, sort_keys=True)
        request_id = hashlib.sha256(f"{what}\x1f{text}".encode()).hexdigest()[:36] if once else uuid.uuid4().hex
        try:
            answer = self._do(what, lambda: self.qb.create_object(what, text, request_id=request_id))
        except _Refused as refused:
            return Refusal(refused.message)
        return answer[what]

    def _do(self, what: str, call):
        from intuitlib.exceptions import AuthClientError  # type: ignore[import-untyped]
        from quickbooks.exceptions import (  # type: ignore[import-untyped]
            AuthorizationException, QuickbooksException)
        from requests import RequestException

        try:
            return call()
        except AuthClientError as exc:
            raise RemoteFailure(f"QuickBooks refused the sign-in ({exc.status_code}); "
                                "run `sheetbill auth quickbooks` again") from None
        except AuthorizationException as exc:
            raise RemoteFailure(f"QuickBooks refused the sign-in ({exc.message}); run `sheetbill auth quickbooks`") from None
        except QuickbooksException as exc:
            if isinstance(exc.error_code, int) and exc.error_code < 10000:  # a Fault about this request
                raise _Refused(f"{exc.message}: {exc.detail}" if exc.detail else exc.message) from None
            raise RemoteFailure(f"QuickBooks answered an error to {what}: {exc.message}") from None
        except RequestException as exc:
            raise RemoteFailure(f"QuickBooks could not be reached ({what}): {exc}") from None

    # -- RemoteBooks --------------------------------------------------------
    def contacts(self, customers: Sequence[Customer]) -> Mapping[str, str | Refusal]:
        out: dict[str, str | Refusal] = {}
        for c in customers:
            found = self._query("Customer", f"SELECT * FROM Customer WHERE PrimaryEmailAddr = '{_q(c.email)}'") \
                if c.email else []
            found = found or self._query("Customer", f"SELECT * FROM Customer WHERE DisplayName = '{_q(c.name)}'")
            if found:
                out[c.name] = str(found[0]["Id"])
                continue
            body: dict = {"DisplayName": c.name, "Notes": f"Client {c.client_id}" if c.client_id else ""}
            if c.email:
                body["PrimaryEmailAddr"] = {"Address": c.email}
            made = self._create("Customer", body)
            out[c.name] = made if isinstance(made, Refusal) else str(made["Id"])
        return out

    def find(self, kind: str, keys: Sequence[str]) -> Mapping[str, str]:
        if not keys:
            return {}
        what = "CreditMemo" if kind == CREDIT_NOTE else "Invoice"
        found = self._query(what, f"SELECT * FROM {what} WHERE DocNumber IN ({', '.join(repr_q(k) for k in keys)})")
        return {d["DocNumber"]: str(d["Id"]) for d in found if d.get("DocNumber") in keys}

    def find_payments(self, parts: Sequence[PaymentPart]) -> Mapping[str, str]:
        if not parts:
            return {}
        first, last = min(p.date for p in parts), max(p.date for p in parts)
        found = self._query("Payment", f"SELECT * FROM Payment WHERE TxnDate >= '{first}' AND TxnDate <= '{last}'")
        keys = {p.reference for p in parts}
        return {d["PrivateNote"]: str(d["Id"]) for d in found if d.get("PrivateNote") in keys}

    def create_sales(self, kind: str, sales: Sequence[Sale], contacts: Mapping[str, str],
                     credited: Mapping[str, str]) -> Mapping[str, str | Refusal]:
        codes = {line.code.upper() for s in sales for line in s.lines}
        names = {code: (self.settings.services[code].item if code in self.settings.services
                        and self.settings.services[code].item else code) for code in codes}
        items = {d["Name"]: str(d["Id"]) for d in self._query(
            "Item", f"SELECT * FROM Item WHERE Name IN ({', '.join(repr_q(n) for n in sorted(set(names.values())))})")}
        what = "CreditMemo" if kind == CREDIT_NOTE else "Invoice"
        out: dict[str, str | Refusal] = {}
        mapper = Mapper(self.settings)
        for sale in sales:
            missing = sorted({line.code for line in sale.lines if names[line.code.upper()] not in items})
            if missing:
                out[sale.number] = Refusal("; ".join(
                    f"service {code}: no item '{names[code.upper()]}' in QuickBooks (create it, or name it in "
                    f"accounting.services.{code}.item)" for code in missing))
                continue
            lines = []
            for line in sale.lines:
                booking = mapper.line(line, need_tax_code=True)
                quantity, unit = unit_and_quantity(line, self.minor)
                sign = -1 if sale.kind == CREDIT_NOTE else 1
                lines.append({"DetailType": "SalesItemLineDetail", "Amount": sign * line.net,
                              "Description": line.description or line.code,
                              "SalesItemLineDetail": {
                                  "ItemRef": {"value": items[names[line.code.upper()]]}, "Qty": sign * quantity,
                                  "UnitPrice": unit, "TaxCodeRef": {"value": booking.tax_code},
                                  **({"ServiceDate": line.date.isoformat()} if line.date else {})}})
            body = {"DocNumber": sale.number, "TxnDate": sale.date.isoformat(),
                    "CustomerRef": {"value": contacts[sale.customer.name]}, "Line": lines,
                    "PrivateNote": f"Voids {sale.credits}" if sale.credits else ""}
            if sale.kind != CREDIT_NOTE:
                body["DueDate"] = sale.due_date.isoformat()
            made = self._create(what, body)
            out[sale.number] = made if isinstance(made, Refusal) else str(made["Id"])
        return out

    def move_credit(self, moves: Sequence[CreditMove], ids: Mapping[str, str]) -> Mapping[str, Refusal]:
        """Apply each credit memo to the invoice it voids, or that the sheet moved its voided invoice's
        money to, as QuickBooks Online does it: a payment of 0 whose lines link the invoice and the
        credit memo for the same amount, its private note `<credit note> <invoice>`. Up to the move
        less what such payments applied already (so that it is done once), the memo's remaining
        credit and the invoice's balance."""
        memo_ids = {ids[m.credit_note] for m in moves if m.credit_note in ids}
        invoice_ids = {ids[m.invoice_no] for m in moves if m.invoice_no in ids}
        if not memo_ids or not invoice_ids:
            return {}
        memos = {str(d["Id"]): d for d in self._query(
            "CreditMemo", f"SELECT * FROM CreditMemo WHERE Id IN ({', '.join(repr_q(i) for i in sorted(memo_ids))})")}
        invoices = {str(d["Id"]): d for d in self._query(
            "Invoice", f"SELECT * FROM Invoice WHERE Id IN ({', '.join(repr_q(i) for i in sorted(invoice_ids))})")}
        days = {m: max(m.date, _day(invoices[ids[m.invoice_no]])) for m in moves
                if ids.get(m.invoice_no) in invoices and ids.get(m.credit_note) in memos}
        if not days:
            return {}
        first, last = min(days.values()), max(days.values())
        done: dict[str, Decimal] = {}
        for payment in self._query("Payment", f"SELECT * FROM Payment WHERE TxnDate >= '{first}' "
                                              f"AND TxnDate <= '{last}'"):
            note = str(payment.get("PrivateNote") or "")
            for line in payment.get("Line", []):
                if any(t.get("TxnType") == "Invoice" for t in line.get("LinkedTxn", [])):
                    done[note] = done.get(note, Decimal(0)) + _dec(line.get("Amount"))
        out: dict[str, Refusal] = {}
        for m, day in days.items():
            memo, invoice = memos[ids[m.credit_note]], invoices[ids[m.invoice_no]]
            reference = f"{m.credit_note} {m.invoice_no}"
            apply = min(m.amount - done.get(reference, Decimal(0)), _dec(memo.get("RemainingCredit")),
                        _dec(invoice.get("Balance")))
            if apply <= 0:
                continue
            body = {"TxnDate": day.isoformat(), "TotalAmt": Decimal(0), "CustomerRef": memo["CustomerRef"],
                    "PrivateNote": reference, "Line": [
                        {"Amount": apply, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]},
                        {"Amount": apply, "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]}]}
            made = self._create("Payment", body, once=False)  # found by its note: one refused is tried anew
            if isinstance(made, Refusal):
                out[m.credit_note] = made
                continue
            done[reference] = done.get(reference, Decimal(0)) + apply
            memo["RemainingCredit"] = _dec(memo.get("RemainingCredit")) - apply
            invoice["Balance"] = _dec(invoice.get("Balance")) - apply
        return out

    def create_payments(self, parts: Sequence[PaymentPart], invoices: Mapping[str, str]) -> Mapping[str, str | Refusal]:
        out: dict[str, str | Refusal] = {}
        for p in parts:
            invoice = self._query("Invoice", f"SELECT * FROM Invoice WHERE Id = '{invoices[p.invoice_no]}'")
            if not invoice:
                out[p.reference] = Refusal(f"invoice {p.invoice_no} is not in QuickBooks")
                continue
            body = {"TxnDate": p.date.isoformat(), "TotalAmt": p.amount, "PaymentRefNum": p.payment_id[:21],
                    "PrivateNote": p.reference, "CustomerRef": invoice[0]["CustomerRef"],
                    "Line": [{"Amount": p.amount, "LinkedTxn": [{"TxnId": invoices[p.invoice_no], "TxnType": "Invoice"}]}]}
            account = self.settings.payment_accounts.get(p.method)
            if account:
                body["DepositToAccountRef"] = {"value": account}
            made = self._create("Payment", body)
            out[p.reference] = made if isinstance(made, Refusal) else str(made["Id"])
        return out


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _dec(value) -> Decimal:
    """An amount from QuickBooks' answer (a JSON number) as a Decimal of its printed value."""
    return Decimal(str(value)) if value is not None else Decimal(0)


def _day(document: dict) -> date:
    return date.fromisoformat(str(document["TxnDate"])[:10])


def _q(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


def repr_q(text: str) -> str:
    return f"'{_q(text)}'"
