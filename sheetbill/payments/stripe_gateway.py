"""The card gateway on Stripe, through the official `stripe` package.

Pay links are Payment Links (they do not expire, unlike Checkout Sessions)
for a one-off Price, limited to one completed payment (Stripe deactivates the
link once it is paid, so a client cannot pay it twice before the next run); the invoice number goes into the link's metadata and
into the metadata of the PaymentIntent a payment makes. AutoPay's card
set-up is a Customer and a Checkout Session in setup mode for it (the
client id in both metadata); its `checkout.session.completed` event says the
card is saved. A dispute is read when it is made (`charge.dispute.created`)
and when it is decided (`charge.dispute.closed`, its status won, lost, warning_closed or prevented).
Network failures,
429 and 5xx are retried by the package with the same idempotency key.
"""

from __future__ import annotations

import stripe
from stripe.params.checkout import SessionCreateParams

from .card_gateway import CardError, CardEvent, CardSetup, Charge, PayLink

KINDS = {"payment_intent.succeeded": "paid", "refund.created": "refunded", "charge.dispute.created": "disputed",
         "charge.dispute.closed": "dispute_closed", "checkout.session.completed": "card_saved"}
# A closed dispute's status (Stripe sends charge.dispute.closed once it is lost, won, or, for an inquiry that
# never became a chargeback, warning_closed; prevented: stopped before it became one): whether the practice
# kept the money. Any other status is left for a person (card_disputes.py).
CLOSED = {"won": "dispute_won", "warning_closed": "dispute_won", "lost": "dispute_lost",
          "prevented": "dispute_prevented"}


class StripeGateway:
    def __init__(self, secret_key: str, api_base: str | None = None, retries: int = 3, timeout: float = 30) -> None:
        self.client = stripe.StripeClient(secret_key, max_network_retries=retries,
                                          base_addresses={"api": api_base} if api_base else None,
                                          http_client=stripe.new_default_http_client(timeout=timeout))

    def create_link(self, amount: int, currency: str, title: str, metadata: dict[str, str], key: str) -> PayLink:
        try:
            price = self.client.v1.prices.create(
                {"unit_amount": amount, "currency": currency.lower(), "product_data": {"name": title}},
                {"idempotency_key": f"{key}-price"})
            link = self.client.v1.payment_links.create(
                {"line_items": [{"price": price.id, "quantity": 1}], "metadata": metadata,
                 "payment_intent_data": {"metadata": metadata},
                 "restrictions": {"completed_sessions": {"limit": 1}}},  # paid once, then Stripe closes it
                {"idempotency_key": f"{key}-link"})
        except stripe.StripeError as exc:
            raise CardError(_said(exc)) from None
        return PayLink(link.id, link.url)

    def deactivate_link(self, link_id: str) -> None:
        try:
            self.client.v1.payment_links.update(link_id, {"active": False})
        except stripe.InvalidRequestError as exc:
            if exc.code != "resource_missing":
                raise CardError(_said(exc)) from None
        except stripe.StripeError as exc:
            raise CardError(_said(exc)) from None

    def events(self, since: int) -> list[CardEvent]:
        out = []
        try:
            page = self.client.v1.events.list({"created": {"gte": since}, "limit": 100})
            for ev in page.auto_paging_iter():
                kind = KINDS.get(ev.type)
                if kind == "card_saved" and ev.data.object.to_dict().get("mode") != "setup":
                    continue  # a pay link's own session: its payment_intent.succeeded counts
                if kind is not None:
                    out.append(_event(ev, kind))
        except stripe.StripeError as exc:
            raise CardError(_said(exc)) from None
        return sorted(out, key=lambda e: (e.created, e.event_id))

    def saved_card(self, customer: str) -> str | None:
        try:
            cards = self.client.v1.customers.payment_methods.list(customer, {"type": "card", "limit": 1})
        except stripe.InvalidRequestError as exc:
            if exc.code == "resource_missing":
                return None
            raise CardError(_said(exc)) from None
        except stripe.StripeError as exc:
            raise CardError(_said(exc)) from None
        return cards.data[0].id if cards.data else None

    def charge(self, customer: str, card: str, amount: int, currency: str, metadata: dict[str, str],
               key: str) -> Charge:
        try:
            pi = self.client.v1.payment_intents.create(
                {"amount": amount, "currency": currency.lower(), "customer": customer, "payment_method": card,
                 "off_session": True, "confirm": True, "metadata": metadata}, {"idempotency_key": key})
        except stripe.CardError as exc:
            found = exc.error.payment_intent if exc.error is not None else None
            intent = found.to_dict() if found is not None else {}
            code = (exc.error.decline_code or exc.error.code) if exc.error is not None else exc.code
            return Charge(intent.get("id", ""), False, amount, intent.get("created", 0), exc.user_message or str(exc),
                          code or "")
        except stripe.StripeError as exc:
            raise CardError(_said(exc)) from None
        return Charge(pi.id, pi.status == "succeeded", pi.amount, pi.created,
                      "" if pi.status == "succeeded" else f"the payment is {pi.status}")


    def create_setup(self, client_id: str, name: str, email: str, currency: str, return_url: str,
                     key: str) -> CardSetup:
        metadata = {"client_id": client_id}
        try:
            customer = self.client.v1.customers.create({"name": name, "email": email, "metadata": metadata},
                                                       {"idempotency_key": f"{key}-customer"})
            params: SessionCreateParams = {"mode": "setup", "currency": currency.lower(), "customer": customer.id,
                                           "metadata": metadata, "setup_intent_data": {"metadata": metadata}}
            if return_url:
                params["success_url"] = return_url
            session = self.client.v1.checkout.sessions.create(params, {"idempotency_key": f"{key}-session"})
        except stripe.StripeError as exc:
            raise CardError(_said(exc)) from None
        return CardSetup(session.id, session.url or "", customer.id)

    def fee(self, intent: str) -> int | None:
        try:
            pi = self.client.v1.payment_intents.retrieve(intent)
            if not pi.latest_charge:
                return None
            charge = self.client.v1.charges.retrieve(str(pi.latest_charge))
            if not charge.balance_transaction:
                return None
            txn = self.client.v1.balance_transactions.retrieve(str(charge.balance_transaction))
        except stripe.StripeError as exc:
            raise CardError(_said(exc)) from None
        return txn.fee


def _event(ev, kind: str) -> CardEvent:
    obj = ev.data.object.to_dict()
    if kind == "card_saved":
        return CardEvent(ev.id, ev.created, kind, obj["id"], obj.get("setup_intent") or "", 0, "",
                         dict(obj.get("metadata") or {}), obj.get("customer") or "")
    if kind == "paid":
        return CardEvent(ev.id, ev.created, kind, obj["id"], obj["id"], obj["amount_received"], obj["currency"],
                         dict(obj.get("metadata") or {}))
    if kind == "dispute_closed":  # "dispute_won", "dispute_lost", "dispute_prevented"; else for a person to read
        kind = CLOSED.get(obj.get("status") or "", kind)
    return CardEvent(ev.id, ev.created, kind, obj["id"], obj.get("payment_intent") or "", obj["amount"],
                     obj["currency"], dict(obj.get("metadata") or {}), status=obj.get("status") or "")


def _said(exc: stripe.StripeError) -> str:
    return f"Stripe: {exc.user_message or exc.__class__.__name__}"

