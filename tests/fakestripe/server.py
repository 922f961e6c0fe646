"""A fake Stripe API over HTTP on 127.0.0.1, for the official `stripe` package.

It answers the calls sheetbill makes (prices, payment links, events, a
customer's payment methods, payment intents, customers, Checkout Sessions in
setup mode, a payment's charge and balance transaction for its fee) in
Stripe's shapes (shapes.py),
honours idempotency keys as Stripe does (same key and parameters: the same
answer, replayed; same key, other parameters: an idempotency_error), and can
be told to fail: `fail(path, kind, times)` with kind "429", "500", "drop"
(the connection closes before anything is done) or "drop_after" (the work is
done, then the connection closes with no answer: a timeout after the charge).

What a customer does on Stripe's side is done by calling the fake directly:
`pay(link_id, when)` (LinkClosed when the link is deactivated or its
`restrictions.completed_sessions.limit` is met: Stripe switches a link off
once that many payments are completed), `refund(intent_id, amount, when)`, `dispute(...)`,
`close_dispute(dispute_id, won, when)`,
`add_customer(id, card=True, declines=False)` (`declines` True, or the decline
code the card's bank gives: "insufficient_funds", "expired_card"...),
`complete_setup(session_id, when)` (the client saves a card on a set-up page). Stripe's fee on a payment is
1.5% + 25 cents.
"""

from __future__ import annotations

import itertools
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import shapes

SECRET = "sk_test_fake_sheetbill"


def nested(pairs: list[tuple[str, str]]) -> dict:
    """`a[b][0][c]=1` form fields into nested dicts (lists stay dicts keyed "0", "1"...)."""
    out: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


class LinkClosed(Exception):
    """A client opened a payment link that takes no more payments (deactivated, or its limit met)."""


class FakeStripe:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.objects: dict[str, dict] = {}
        self.events: list[dict] = []
        self.idempotent: dict[str, tuple[str, int, dict]] = {}
        self.faults: list[dict] = []
        self.customers: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self._ids = itertools.count(1)
        self.now = 1_795_000_000  # "now" on Stripe's side (unix seconds), moved by the tests
        self.server: ThreadingHTTPServer | None = None

    # -- the tests' side ---------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeStripe:
        fake = self

        class Handler(_Handler):
            stripe = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def fail(self, path: str, kind: str, times: int = 1) -> None:
        with self.lock:
            self.faults.append({"path": path, "kind": kind, "times": times})

    def add_customer(self, cid: str, card: bool = True, declines: bool | str = False) -> None:
        with self.lock:
            methods = [shapes.payment_method(f"pm_{cid}", cid, "0002" if declines else "4242", self.now)] if card else []
            self.customers[cid] = {"methods": methods, "declines": declines}

    def of_kind(self, kind: str) -> list[dict]:
        return [o for o in self.objects.values() if o["object"] == kind]

    def pay(self, link_id: str, when: datetime | int | None = None) -> dict:
        """A client pays through a payment link: a succeeded PaymentIntent and its event, after the
        event of the link's Checkout Session (payment mode) completing, as Stripe sends them."""
        with self.lock:
            link = self.objects[link_id]
            if not link["active"]:
                raise LinkClosed(f"{link_id} is deactivated: Stripe's page says it is no longer available")
            price = self.objects[link["_price"]]
            done = (link["restrictions"] or {}).get("completed_sessions")
            if done is not None:  # as Stripe does: counted, and switched off once the limit is met
                done["count"] += 1
                if done["count"] >= done["limit"]:
                    link["active"] = False
            created = _stamp(when, self.now)
            pi = self._succeed(price["unit_amount"], price["currency"], None, None,
                               dict(link["payment_intent_data"]["metadata"]), created)
            sid = self._id("cs_test")
            session = shapes.checkout_session(sid, None, None, price["currency"], dict(link["metadata"]), None,
                                              created, None, "payment", pi["id"], link_id, price["unit_amount"])
            self.objects[sid] = session
            self._event("checkout.session.completed", session, created)
            return pi

    def complete_setup(self, session_id: str, when=None, declines: bool = False) -> dict:
        """A client saves a card on a set-up page: the card is the customer's, the session complete."""
        with self.lock:
            session = self.objects[session_id]
            created = _stamp(when, self.now)
            cid = session["customer"]
            method = shapes.payment_method(self._id("pm"), cid, "0002" if declines else "4242", created)
            self.customers[cid] = {"methods": [method], "declines": declines}
            intent = self.objects[session["setup_intent"]]
            intent.update(status="succeeded", payment_method=method["id"])
            session.update(status="complete")
            self._event("setup_intent.succeeded", intent, created)
            self._event("checkout.session.completed", session, created)
            return session

    def refund(self, intent_id: str, amount: int, when=None) -> dict:
        with self.lock:
            pi = self.objects[intent_id]
            created = _stamp(when, self.now)
            r = shapes.refund(self._id("re"), amount, pi["currency"], pi["latest_charge"], intent_id, created)
            self.objects[r["id"]] = r
            self._event("refund.created", r, created)
            return r

    def dispute(self, intent_id: str, amount: int | None = None, when=None, inquiry: bool = False) -> dict:
        """The client disputes a payment with their bank (`inquiry`: the bank only asks first, status
        warning_needs_response)."""
        with self.lock:
            pi = self.objects[intent_id]
            created = _stamp(when, self.now)
            d = shapes.dispute(self._id("dp"), amount or pi["amount"], pi["currency"], pi["latest_charge"],
                               intent_id, created)
            if inquiry:
                d["status"] = "warning_needs_response"
            self.objects[d["id"]] = d
            self._event("charge.dispute.created", d, created)
            return d

    def close_dispute(self, dispute_id: str, won: bool = False, when=None, status: str | None = None) -> dict:
        """The card network decides a dispute: won, Stripe gives the money back (its funds_reinstated
        event, then charge.dispute.closed with status won); lost, charge.dispute.closed with status lost;
        `status` another of Stripe's (warning_closed: an inquiry closed without a chargeback, prevented:
        stopped before it became one), charge.dispute.closed with that status."""
        with self.lock:
            d = self.objects[dispute_id]
            created = _stamp(when, self.now)
            status = status or ("won" if won else "lost")
            d.update(status=status, is_charge_refundable=False)
            if status == "won":
                self._event("charge.dispute.funds_reinstated", d, created)
            self._event("charge.dispute.closed", d, created)
            return d

    # -- internals ---------------------------------------------------------
    def _id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def _event(self, type_: str, obj: dict, created: int) -> None:
        self.events.append(shapes.event(self._id("evt"), type_, _public(obj), created))

    def _succeed(self, amount: int, currency: str, customer, method, metadata: dict, created: int) -> dict:
        pi_id, charge, txn = self._id("pi"), self._id("ch"), self._id("txn")
        pi = shapes.payment_intent(pi_id, amount, currency, created, "succeeded", customer, method, metadata, charge)
        self.objects[pi_id] = pi
        self.objects[charge] = shapes.charge(charge, amount, currency, pi_id, customer, txn, created)
        self.objects[txn] = shapes.balance_transaction(txn, amount, fee(amount), currency, charge, created)
        self._event("payment_intent.succeeded", pi, created)
        return pi

    def handle(self, method: str, path: str, query: dict, form: dict, key: str | None) -> tuple[int, dict]:
        self.calls.append((method, path))
        if method == "POST" and key:
            body = json.dumps(form, sort_keys=True)
            known = self.idempotent.get(key)
            if known is not None:
                if known[0] != f"{path} {body}":
                    return 400, shapes.error("idempotency_error", "Keys for idempotent requests can only be used "
                                             "with the same parameters they were first used with.")
                return known[1], known[2]
            status, answer = self._route(method, path, query, form)
            if status < 500 and status != 429:
                self.idempotent[key] = (f"{path} {body}", status, answer)
            return status, answer
        return self._route(method, path, query, form)

    def _route(self, method: str, path: str, query: dict, form: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")[1:]  # without "v1"
        if method == "POST" and parts == ["prices"]:
            p = shapes.price(self._id("price"), int(form["unit_amount"]), form["currency"], self._id("prod"), self.now)
            self.objects[p["id"]] = p
            return 200, p
        if method == "POST" and parts == ["payment_links"]:
            item = form["line_items"]["0"]
            limit = form.get("restrictions", {}).get("completed_sessions", {}).get("limit")
            link = shapes.payment_link(self._id("plink"), "", self.objects[item["price"]]["currency"],
                                       form.get("metadata", {}), form.get("payment_intent_data", {}).get("metadata", {}),
                                       limit=None if limit is None else int(limit))
            link["url"] = f"https://buy.stripe.com/test_{link['id'][6:]}"
            link["_price"] = item["price"]
            self.objects[link["id"]] = link
            return 200, _public(link)
        if method == "POST" and len(parts) == 2 and parts[0] == "payment_links":
            link = self.objects.get(parts[1])
            if link is None:
                return 404, shapes.error("invalid_request_error", f"No such payment_link: '{parts[1]}'",
                                         "resource_missing")
            if "active" in form:
                link["active"] = form["active"] == "true"
            return 200, _public(link)
        if method == "GET" and parts == ["events"]:
            return 200, self._events(path, query)
        if method == "GET" and len(parts) == 3 and parts[0] == "customers" and parts[2] == "payment_methods":
            customer = self.customers.get(parts[1])
            if customer is None:
                return 404, shapes.error("invalid_request_error", f"No such customer: '{parts[1]}'", "resource_missing")
            return 200, shapes.listing(path, customer["methods"], False)
        if method == "POST" and parts == ["payment_intents"]:
            return self._charge(form)
        if method == "POST" and parts == ["customers"]:
            c = shapes.customer(self._id("cus"), form.get("name", ""), form.get("email", ""), form.get("metadata", {}),
                                self.now)
            self.objects[c["id"]] = c
            self.customers[c["id"]] = {"methods": [], "declines": False}
            return 200, c
        if method == "POST" and parts == ["checkout", "sessions"]:
            return self._setup_session(form)
        if method == "GET" and len(parts) == 2 and parts[0] in ("payment_intents", "charges", "balance_transactions"):
            found = self.objects.get(parts[1])
            if found is None:
                return 404, shapes.error("invalid_request_error", f"No such object: '{parts[1]}'", "resource_missing")
            return 200, _public(found)
        return 404, shapes.error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    def _events(self, path: str, query: dict) -> dict:
        since = int(query.get("created[gte]", 0))
        found = sorted((e for e in self.events if e["created"] >= since), key=lambda e: e["created"], reverse=True)
        after = query.get("starting_after")
        if after:
            ids = [e["id"] for e in found]
            found = found[ids.index(after) + 1:] if after in ids else []
        limit = int(query.get("limit", 10))
        return shapes.listing(path, found[:limit], len(found) > limit)

    def _setup_session(self, form: dict) -> tuple[int, dict]:
        if form.get("mode") != "setup":
            return 400, shapes.error("invalid_request_error", "the fake makes Checkout Sessions in setup mode only")
        customer = form.get("customer", "")
        if customer not in self.customers:
            return 400, shapes.error("invalid_request_error", f"No such customer: '{customer}'", "resource_missing")
        metadata = form.get("metadata", {})
        intent = shapes.setup_intent(self._id("seti"), customer, form.get("setup_intent_data", {}).get("metadata", {}),
                                     self.now)
        self.objects[intent["id"]] = intent
        sid = self._id("cs_test")
        session = shapes.checkout_session(sid, f"https://checkout.stripe.com/c/pay/{sid}", customer,
                                          form.get("currency", ""), metadata, intent["id"], self.now,
                                          form.get("success_url"))
        self.objects[sid] = session
        return 200, session

    def _charge(self, form: dict) -> tuple[int, dict]:
        customer = self.customers.get(form.get("customer", ""))
        amount, currency = int(form["amount"]), form["currency"]
        metadata = form.get("metadata", {})
        if customer is None:
            return 400, shapes.error("invalid_request_error", "No such customer", "resource_missing")
        if customer["declines"]:
            pi = shapes.payment_intent(self._id("pi"), amount, currency, self.now, "requires_payment_method",
                                       form["customer"], form.get("payment_method"), metadata, self._id("ch"),
                                       {"type": "card_error", "code": "card_declined"})
            self.objects[pi["id"]] = pi
            self._event("payment_intent.payment_failed", pi, self.now)
            return 402, decline(customer["declines"], pi)
        return 200, self._succeed(amount, currency, form["customer"], form.get("payment_method"), metadata, self.now)


# What Stripe answers for a card its bank declines, by decline code: (error code, message), as Stripe's
# docs give them (an expired card or a wrong CVC has an error code of its own, the others card_declined).
DECLINES = {
    "generic_decline": ("card_declined", "Your card was declined."),
    "insufficient_funds": ("card_declined", "Your card has insufficient funds."),
    "expired_card": ("expired_card", "Your card has expired."),
    "incorrect_cvc": ("incorrect_cvc", "Your card's security code is incorrect."),
    "processing_error": ("processing_error", "An error occurred while processing your card. Try again in a little bit."),
    "do_not_honor": ("card_declined", "Your card was declined."),
    "lost_card": ("card_declined", "Your card was declined."),
    "stolen_card": ("card_declined", "Your card was declined."),
}


def decline(declines: bool | str, pi: dict) -> dict:
    """The error body of a declined charge (`declines`: True for a generic decline, or the decline code)."""
    code = declines if isinstance(declines, str) else "generic_decline"
    error_code, message = DECLINES.get(code, ("card_declined", "Your card was declined."))
    return shapes.error("card_error", message, error_code, decline_code=code, payment_intent=pi)


def fee(amount: int) -> int:
    """Stripe's fee on a card payment in the fake: 1.5% + 25 cents, rounded half up."""
    return (amount * 15 + 500) // 1000 + 25


def _public(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def _stamp(when, default: int) -> int:
    if when is None:
        return default
    return int(when.timestamp()) if isinstance(when, datetime) else int(when)


class _Handler(BaseHTTPRequestHandler):
    stripe: FakeStripe
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.headers.get("Authorization") != f"Bearer {SECRET}":
            return self._answer(401, shapes.error("invalid_request_error", "Invalid API Key provided"))
        fake = self.stripe
        with fake.lock:
            fault = next((f for f in fake.faults if url.path.startswith(f["path"]) and f["times"] > 0), None)
            if fault is not None:
                fault["times"] -= 1
                kind = fault["kind"]
                if kind == "drop":
                    self.close_connection = True
                    return
                if kind in ("429", "500"):
                    return self._answer(int(kind), shapes.error("api_error", f"fake fault {kind}"))
            status, answer = fake.handle(method, url.path, dict(parse_qsl(url.query)),
                                         nested(parse_qsl(body, keep_blank_values=True)),
                                         self.headers.get("Idempotency-Key"))
        if fault is not None and fault["kind"] == "drop_after":
            self.close_connection = True
            return
        self._answer(status, answer)

    def _answer(self, status: int, answer: dict) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_fake")
        self.end_headers()
        self.wfile.write(data)
