"""The fake's HTTP server: Contacts, Invoices, CreditNotes (and their Allocations),
Payments and the token endpoint, with state, in Xero's shapes.

It refuses what Xero would (an unknown account code or tax type, a payment
over the amount due) with Xero's kind of validation error, honours
Idempotency-Key, can answer 429 (rate limit) a number of times, and checks
every exchange against Xero's OpenAPI description (`problems` collects what
does not conform).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import validate

BASE = "/api.xro/2.0"
ACCOUNTS = {"200", "210", "090", "091"}  # sales, other revenue, bank, card clearing
TAX_TYPES = {"OUTPUT2", "EXEMPTOUTPUT", "NONE", "RROUTPUT", "ZERORATEDOUTPUT"}
RATES = {"OUTPUT2": Decimal("20"), "RROUTPUT": Decimal("5")}


@dataclass
class State:
    contacts: list[dict] = field(default_factory=list)
    invoices: list[dict] = field(default_factory=list)
    credit_notes: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)
    idempotent: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    problems: list[str] = field(default_factory=list)  # exchanges that do not conform to the description
    throttle: int = 0  # answer this many next calls with 429
    tokens: list[dict] = field(default_factory=list)  # token requests (form fields)


def _ms(day: str | date) -> str:
    if isinstance(day, str) and day.startswith("/Date("):
        return day
    d = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    stamp = int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp() * 1000)
    return f"/Date({stamp}+0000)/"


def _num(value) -> Decimal:
    return Decimal(str(value if value is not None else 0))


def _where(text: str) -> list[tuple[str, str]]:
    """`Name=="A" OR EmailAddress=="b"` -> [(Name, A), (EmailAddress, b)]."""
    return [(m[1], m[2].replace('\\"', '"')) for m in re.finditer(r'(\w+)\s*==\s*"((?:[^"\\]|\\.)*)"', text or "")]


class FakeXero:
    def __init__(self) -> None:
        self.state = State()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeXero":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def created(self, kind: str) -> int:
        return sum(1 for m, p in self.state.calls if m == "PUT" and p == f"{BASE}/{kind}")

    # -- the API ------------------------------------------------------------
    def answer(self, method: str, path: str, query: dict[str, str], body: dict | None) -> tuple[int, dict]:
        s = self.state
        rest = path[len(BASE):]
        if rest == "/Contacts" and method == "GET":
            wanted = _where(query.get("where", ""))
            found = [c for c in s.contacts if any((c.get(k) or "").lower() == v.lower() for k, v in wanted)]
            return 200, self._envelope("Contacts", found)
        if rest == "/Contacts" and method == "PUT":
            out = []
            for c in body["Contacts"]:
                made = {"ContactID": str(uuid.uuid4()), "Name": c["Name"], "ContactStatus": "ACTIVE",
                        **{k: c[k] for k in ("EmailAddress", "AccountNumber", "TaxNumber") if c.get(k)}}
                if any(x["Name"].lower() == c["Name"].lower() for x in s.contacts):
                    out.append({**c, "ValidationErrors": [{"Message": "The contact name must be unique."}],
                                "HasValidationErrors": True})
                    continue
                s.contacts.append(made)
                out.append(made)
            return 200, self._envelope("Contacts", out)
        if rest == "/Invoices" and method == "GET":
            numbers = set(query.get("InvoiceNumbers", "").split(",")) - {""}
            return 200, self._envelope("Invoices", [i for i in s.invoices if i["InvoiceNumber"] in numbers])
        m = re.fullmatch(r"/Invoices/([0-9a-f-]+)", rest)
        if m and method == "GET":
            return 200, self._envelope("Invoices", [i for i in s.invoices if i["InvoiceID"] == m[1]])
        if rest == "/Invoices" and method == "PUT":
            return 200, self._envelope("Invoices", [self._sale(i, "Invoice", s.invoices) for i in body["Invoices"]])
        if rest == "/CreditNotes" and method == "GET":
            numbers = {v for k, v in _where(query.get("where", "")) if k == "CreditNoteNumber"}
            return 200, self._envelope("CreditNotes", [n for n in s.credit_notes if n["CreditNoteNumber"] in numbers])
        if rest == "/CreditNotes" and method == "PUT":
            return 200, self._envelope("CreditNotes", [self._sale(n, "CreditNote", s.credit_notes)
                                                       for n in body["CreditNotes"]])
        m = re.fullmatch(r"/CreditNotes/([0-9a-f-]+)/Allocations", rest)
        if m and method == "PUT":
            note = next(n for n in s.credit_notes if n["CreditNoteID"] == m[1])
            out = []
            for a in body["Allocations"]:
                inv = next(i for i in s.invoices if i["InvoiceID"] == a["Invoice"]["InvoiceID"])
                amount = _num(a["Amount"])
                if amount > _num(inv["AmountDue"]) or amount > _num(note["RemainingCredit"]):
                    return 400, self._error("Allocation amount exceeds the amount due")
                inv["AmountDue"] = float(_num(inv["AmountDue"]) - amount)
                inv["AmountCredited"] = float(_num(inv.get("AmountCredited")) + amount)
                note["RemainingCredit"] = float(_num(note["RemainingCredit"]) - amount)
                if _num(inv["AmountDue"]) == 0:
                    inv["Status"] = "PAID"
                out.append({"AllocationID": str(uuid.uuid4()), "Amount": float(amount), "Date": _ms(a["Date"]),
                            "Invoice": {"InvoiceID": inv["InvoiceID"], "InvoiceNumber": inv["InvoiceNumber"]}})
                note.setdefault("Allocations", []).append(out[-1])  # listed with the credit note, as Xero does
            return 200, self._envelope("Allocations", out)
        if rest == "/Payments" and method == "GET":
            refs = {v for k, v in _where(query.get("where", "")) if k == "Reference"}
            return 200, self._envelope("Payments", [p for p in s.payments if p.get("Reference") in refs])
        if rest == "/Payments" and method == "PUT":
            return 200, self._envelope("Payments", [self._payment(p) for p in body["Payments"]])
        return 404, self._error(f"no such resource {method} {path}")

    def _sale(self, doc: dict, kind: str, store: list[dict]) -> dict:
        number_key = "InvoiceNumber" if kind == "Invoice" else "CreditNoteNumber"
        errors = []
        if any(d[number_key] == doc.get(number_key) for d in store):
            errors.append(f"{kind} # must be unique.")
        contact = next((c for c in self.state.contacts if c["ContactID"] == doc["Contact"]["ContactID"]), None)
        if contact is None:
            errors.append("The contact was not found.")
        net = tax = Decimal(0)
        for line in doc.get("LineItems", []):
            if line.get("AccountCode") not in ACCOUNTS:
                errors.append(f"Account code '{line.get('AccountCode')}' is not a valid code for this document.")
            if line.get("TaxType") not in TAX_TYPES:
                errors.append(f"The TaxType code '{line.get('TaxType')}' does not exist or cannot be used "
                              "for this type of transaction.")
            amount = _num(line["Quantity"]) * _num(line["UnitAmount"])
            net += amount
            tax += _num(line.get("TaxAmount", amount * RATES.get(line.get("TaxType"), Decimal(0)) / 100))
        if errors:
            return {**doc, "ValidationErrors": [{"Message": e} for e in errors], "HasErrors": True,
                    "StatusAttributeString": "ERROR"}
        net, tax = abs(net), abs(tax)
        made = {**doc, f"{kind}ID": str(uuid.uuid4()), "Date": _ms(doc["Date"]), "Status": doc.get("Status", "DRAFT"),
                "SubTotal": float(net), "TotalTax": float(tax), "Total": float(net + tax),
                "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]},
                "LineItems": [{**l, "Quantity": abs(float(l["Quantity"])), "LineItemID": str(uuid.uuid4())}
                              for l in doc.get("LineItems", [])]}
        if "DueDate" in doc:
            made["DueDate"] = _ms(doc["DueDate"])
        if kind == "Invoice":
            made.update({"Type": "ACCREC", "AmountDue": float(net + tax), "AmountPaid": 0.0, "AmountCredited": 0.0})
        else:
            made.update({"Type": "ACCRECCREDIT", "RemainingCredit": float(net + tax)})
        store.append(made)
        return made

    def _payment(self, p: dict) -> dict:
        inv = next((i for i in self.state.invoices if i["InvoiceID"] == p["Invoice"]["InvoiceID"]), None)
        amount = _num(p["Amount"])
        errors = []
        if inv is None:
            errors.append("Invoice could not be found")
        elif amount > _num(inv["AmountDue"]):
            errors.append("Payment amount exceeds the amount outstanding on this document")
        if p.get("Account", {}).get("Code") not in ACCOUNTS:
            errors.append(f"Account code '{p.get('Account', {}).get('Code')}' is not a valid code for this document.")
        if errors:
            return {**p, "ValidationErrors": [{"Message": e} for e in errors], "HasValidationErrors": True,
                    "StatusAttributeString": "ERROR"}
        inv["AmountDue"] = float(_num(inv["AmountDue"]) - amount)
        inv["AmountPaid"] = float(_num(inv["AmountPaid"]) + amount)
        inv["Status"] = "PAID" if _num(inv["AmountDue"]) == 0 else inv["Status"]
        made = {"PaymentID": str(uuid.uuid4()), "Date": _ms(p["Date"]), "Amount": float(amount),
                "Reference": p.get("Reference", ""), "Status": "AUTHORISED", "PaymentType": "ACCRECPAYMENT",
                "Invoice": {"InvoiceID": inv["InvoiceID"], "InvoiceNumber": inv["InvoiceNumber"]},
                "Account": {"Code": p["Account"]["Code"]}}
        self.state.payments.append(made)
        return made

    @staticmethod
    def _envelope(kind: str, items: list[dict]) -> dict:
        return {"Id": str(uuid.uuid4()), "Status": "OK", "ProviderName": "sheetbill tests",
                "DateTimeUTC": _ms(date(2026, 11, 21)), kind: items}

    @staticmethod
    def _error(message: str) -> dict:
        return {"ErrorNumber": 10, "Type": "ValidationException", "Message": "A validation exception occurred",
                "Elements": [{"ValidationErrors": [{"Message": message}]}]}

    # -- HTTP -----------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with fake.lock:
                    fake.state.calls.append((self.command, parts.path))
                    if parts.path == "/connect/token":
                        form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
                        fake.state.tokens.append(form)
                        return self._send(200, json.dumps({
                            "access_token": f"access-{len(fake.state.tokens)}", "expires_in": 1800,
                            "token_type": "Bearer", "refresh_token": f"refresh-{len(fake.state.tokens)}",
                            "scope": form.get("scope", "")}).encode())
                    if parts.path == "/connections":
                        return self._send(200, json.dumps([
                            {"id": "c-1", "tenantId": "tenant-1", "tenantType": "ORGANISATION",
                             "tenantName": "Lindenhof Physio"}]).encode())
                    if fake.state.throttle > 0:
                        fake.state.throttle -= 1
                        return self._send(429, b'{"Title":"Too Many Requests"}', {"Retry-After": "1",
                                                                                  "X-Rate-Limit-Problem": "minute"})
                    if not self.headers.get("Authorization", "").startswith("Bearer "):
                        return self._send(401, b'{"Title":"Unauthorized"}')
                    key = self.headers.get("Idempotency-Key")
                    if key and key in fake.state.idempotent:
                        return self._send(*fake.state.idempotent[key])
                    body = json.loads(raw) if raw else None
                    try:
                        status, answer = fake.answer(self.command, parts.path, query, body)
                    except Exception as exc:  # a bug of the fake: say so instead of hanging up
                        fake.state.problems.append(f"fake failed on {self.command} {parts.path}: {exc!r}")
                        status, answer = 500, {"Message": repr(exc)}
                    data = json.dumps(answer).encode()
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    fake.state.problems += validate.check(self.command, parts.path, query, headers, raw, status, data)
                    if key and status < 300:
                        fake.state.idempotent[key] = (status, data)
                self._send(status, data)

            def _send(self, status: int, data: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _serve

        return Handler
