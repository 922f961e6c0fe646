"""The fake's HTTP server: the discovery document and token endpoint of Intuit's OAuth 2,
and the company's query, customer, invoice, creditmemo and payment endpoints, in the
shapes of Intuit's API reference (`{"Invoice": {...}, "time": ...}`, `QueryResponse`,
`Fault` with ValidationFault errors). It checks what a create needs (CustomerRef, lines
with an existing ItemRef and a known TaxCodeRef, DocNumber of at most 21 characters, a
payment within the invoice's balance) and refuses the rest as QuickBooks does; it answers
a repeated `requestid` with the first answer.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ITEMS = {"1": "LD60", "2": "LD45", "3": "LD30", "4": "GEL", "5": "BANDAGE"}
TAX_CODES = {"TAX", "NON"}
CODES = {"Invalid Reference Id": "2500", "Duplicate Document Number Error": "6140",
         "Duplicate Name Exists Error": "6240", "Invalid Amount": "6000"}
ENTITIES = {"customer": "Customer", "invoice": "Invoice", "creditmemo": "CreditMemo", "payment": "Payment"}


@dataclass
class State:
    records: dict[str, list[dict]] = field(default_factory=lambda: {k: [] for k in
                                                                     ("Customer", "Invoice", "CreditMemo", "Payment")})
    requests: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # requests the reference's shapes do not allow
    tokens: list[dict] = field(default_factory=list)
    next_id: int = 100


def _d(value) -> Decimal:
    return Decimal(str(value))


def _conditions(where: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for part in re.split(r"\s+AND\s+", where.strip(), flags=re.I):
        m = re.fullmatch(r"(\w+)\s+IN\s+\((.*)\)", part.strip(), re.I)
        if m:
            out.append((m[1], "in", re.findall(r"'((?:[^'\\]|\\.)*)'", m[2])))
            continue
        m = re.fullmatch(r"(\w+)\s*(=|>=|<=)\s*'((?:[^'\\]|\\.)*)'", part.strip())
        if not m:
            raise ValueError(f"cannot read the condition {part!r}")
        out.append((m[1], m[2], [m[3].replace("\\'", "'")]))
    return out


def _value(record: dict, name: str) -> str:
    value = record.get(name)
    if isinstance(value, dict):
        value = value.get("Address", value.get("value"))
    return "" if value is None else str(value)


class FakeQuickBooks:
    def __init__(self, realm: str = "9130") -> None:
        self.realm = realm
        self.state = State()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeQuickBooks":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def created(self, entity: str) -> int:
        return sum(1 for m, p in self.state.calls if m == "POST" and p.endswith(f"/{entity.lower()}"))

    def of(self, entity: str) -> list[dict]:
        return self.state.records[entity]

    # -- the API ------------------------------------------------------------
    def query(self, sql: str) -> dict:
        m = re.fullmatch(r"\s*SELECT \* FROM (\w+)(?: WHERE (.*?))?\s*", sql, re.I | re.S)
        if not m:
            raise ValueError(f"cannot read the query {sql!r}")
        entity, where = m[1], m[2] or ""
        rows = self.state.records.get(entity)
        if entity == "Item":
            rows = [{"Id": k, "Name": v, "Type": "Service", "Active": True} for k, v in ITEMS.items()]
        if rows is None:
            raise ValueError(f"no entity {entity}")
        for name, op, values in _conditions(where) if where else []:
            if op in ("=", "in"):
                rows = [r for r in rows if _value(r, name).lower() in {v.lower() for v in values}]
            elif op == ">=":
                rows = [r for r in rows if _value(r, name) >= values[0]]
            else:
                rows = [r for r in rows if _value(r, name) <= values[0]]
        answer: dict = {"startPosition": 1, "maxResults": len(rows)} if rows else {}
        if rows:
            answer[entity] = rows
        return {"QueryResponse": answer, "time": "2026-11-21T01:30:00.000-08:00"}

    def create(self, entity: str, body: dict) -> tuple[int, dict]:
        errors = self._check(entity, body)
        if errors:
            return 400, {"Fault": {"Error": [{"Message": m, "Detail": d, "code": CODES.get(m, "6000"), "element": ""}
                                             for m, d in errors], "type": "ValidationFault"},
                         "time": "2026-11-21T01:30:00.000-08:00"}
        self.state.next_id += 1
        record = {**body, "Id": str(self.state.next_id), "SyncToken": "0", "domain": "QBO", "sparse": False,
                  "MetaData": {"CreateTime": "2026-11-21T01:30:00-08:00", "LastUpdatedTime": "2026-11-21T01:30:00-08:00"}}
        if entity in ("Invoice", "CreditMemo"):
            total = sum((abs(_d(l["Amount"])) for l in body["Line"]), Decimal(0))
            record.update({"TotalAmt": float(total), "Balance": float(total), "Line": body["Line"] + [
                {"Amount": float(total), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}]})
            if entity == "CreditMemo":
                record["RemainingCredit"] = float(total)
        if entity == "Payment":
            for line in body["Line"]:
                for txn in line["LinkedTxn"]:
                    doc = self._linked(txn)
                    assert doc is not None
                    doc["Balance"] = float(_d(doc["Balance"]) - _d(line["Amount"]))
                    if txn["TxnType"] == "CreditMemo":
                        doc["RemainingCredit"] = doc["Balance"]
        self.state.records[entity].append(record)
        return 200, {entity: record, "time": "2026-11-21T01:30:00.000-08:00"}

    def _check(self, entity: str, body: dict) -> list[tuple[str, str]]:
        errors: list[tuple[str, str]] = []
        if entity == "Customer":
            if not body.get("DisplayName"):
                self.state.problems.append("Customer without DisplayName")
            if any(c["DisplayName"] == body.get("DisplayName") for c in self.of("Customer")):
                errors.append(("Duplicate Name Exists Error", "The name supplied already exists."))
            return errors
        if "CustomerRef" not in body or "value" not in body["CustomerRef"]:
            self.state.problems.append(f"{entity} without CustomerRef.value")
        if entity in ("Invoice", "CreditMemo"):
            if len(body.get("DocNumber", "")) > 21:
                errors.append(("String length is either shorter or longer than supported by specification",
                               "DocNumber: at most 21 characters"))
            if any(d.get("DocNumber") == body.get("DocNumber") for d in self.of(entity)):
                errors.append(("Duplicate Document Number Error", f"Duplicate Document Number Error : "
                               f"You must specify a different number. This number has already been used. "
                               f"DocNumber={body.get('DocNumber')}"))
            for line in body.get("Line", []):
                if line.get("DetailType") != "SalesItemLineDetail" or "Amount" not in line:
                    self.state.problems.append(f"{entity} line without DetailType SalesItemLineDetail and Amount")
                    continue
                detail = line["SalesItemLineDetail"]
                if detail.get("ItemRef", {}).get("value") not in ITEMS:
                    errors.append(("Invalid Reference Id", f"Item {detail.get('ItemRef')} not found"))
                if detail.get("TaxCodeRef", {}).get("value") not in TAX_CODES:
                    errors.append(("Invalid Reference Id", f"TaxCode {detail.get('TaxCodeRef', {}).get('value')} "
                                   "does not exist"))
        if entity == "Payment":
            if "TotalAmt" not in body:
                self.state.problems.append("Payment without TotalAmt")
            signed = Decimal(0)
            for line in body.get("Line", []):
                for txn in line.get("LinkedTxn", []):
                    if txn.get("TxnType") not in ("Invoice", "CreditMemo"):
                        self.state.problems.append(f"Payment line linking a {txn.get('TxnType')}")
                        continue
                    doc = self._linked(txn)
                    credit = txn["TxnType"] == "CreditMemo"
                    signed += -_d(line["Amount"]) if credit else _d(line["Amount"])
                    if doc is None:
                        errors.append(("Invalid Reference Id", f"{txn['TxnType']} {txn.get('TxnId')} not found"))
                    elif _d(line["Amount"]) <= 0:
                        errors.append(("Invalid Amount", "A linked amount must be positive"))
                    elif credit and _d(line["Amount"]) > _d(doc["RemainingCredit"]):
                        errors.append(("Invalid Amount", "The amount exceeds the credit memo's remaining credit"))
                    elif not credit and _d(line["Amount"]) > _d(doc["Balance"]):
                        errors.append(("Invalid Amount", "The payment amount exceeds the open balance of the invoice"))
            if "TotalAmt" in body and _d(body["TotalAmt"]) != signed:
                errors.append(("Invalid Amount", f"TotalAmt {body['TotalAmt']} is not the lines' {signed}"))
        return errors

    def _linked(self, txn: dict) -> dict | None:
        return next((d for d in self.of(txn["TxnType"]) if d["Id"] == txn.get("TxnId")), None)

    # -- HTTP -----------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with fake.lock:
                    fake.state.calls.append((self.command, parts.path))
                    if parts.path == "/.well-known/openid_configuration":
                        return self._send(200, {
                            "issuer": fake.url, "authorization_endpoint": f"{fake.url}/connect/oauth2",
                            "token_endpoint": f"{fake.url}/oauth2/v1/tokens/bearer",
                            "revocation_endpoint": f"{fake.url}/oauth2/v1/tokens/revoke",
                            "userinfo_endpoint": f"{fake.url}/v1/openid_connect/userinfo",
                            "jwks_uri": f"{fake.url}/oauth2/v1/keys"})
                    if parts.path == "/oauth2/v1/tokens/bearer":
                        form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
                        fake.state.tokens.append(form)
                        n = len(fake.state.tokens)
                        return self._send(200, {"access_token": f"qb-access-{n}", "refresh_token": f"qb-refresh-{n}",
                                                "expires_in": 3600, "x_refresh_token_expires_in": 8726400,
                                                "token_type": "bearer"})
                    if not self.headers.get("Authorization", "").startswith("Bearer qb-access-"):
                        return self._send(401, {"Fault": {"Error": [{"Message": "AuthenticationFailed",
                                                                     "Detail": "Token invalid", "code": "3200"}],
                                                          "type": "AUTHENTICATION"}})
                    if query.get("minorversion") != "75":
                        fake.state.problems.append(f"{parts.path}: minorversion {query.get('minorversion')}")
                    m = re.fullmatch(rf"/v3/company/{fake.realm}/(\w+)", parts.path)
                    if not m or self.command != "POST":
                        return self._send(404, {"Fault": {"Error": [{"Message": "not found", "code": "610"}]}})
                    what = m[1]
                    if what == "query":
                        try:
                            return self._send(200, fake.query(raw.decode()))
                        except ValueError as exc:
                            fake.state.problems.append(str(exc))
                            return self._send(400, {"Fault": {"Error": [{"Message": "QueryParserError",
                                                                         "Detail": str(exc), "code": "4000"}],
                                                              "type": "ValidationFault"}})
                    key = query.get("requestid")
                    if key and key in fake.state.requests:
                        status, data = fake.state.requests[key]
                        return self._send_raw(status, data)
                    status, answer = fake.create(ENTITIES[what], json.loads(raw))
                    data = json.dumps(answer).encode()
                    if key:
                        fake.state.requests[key] = (status, data)
                self._send_raw(status, data)

            def _send(self, status: int, answer: dict) -> None:
                self._send_raw(status, json.dumps(answer).encode())

            def _send_raw(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

        return Handler
