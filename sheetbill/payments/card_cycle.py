"""A cycle's card payments: the service's events and AutoPay's charges into
Payments (before the cycle plans, so it applies them at once), and the pay
links of the invoices it leaves open (before their PDFs and emails).

The worker passes in how to read and write; each step is one write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from decimal import Decimal
from zoneinfo import ZoneInfo

from ..book.cells import text
from ..core.marks import marked_id, state_is_sending
from ..core.account import Account, InvoiceFigures
from ..core.plan import RowProblem
from ..deliver.outgoing import email_template_of
from .autopay import PREFIX as AUTOPAY
from .autopay import AutoPayRun, Declined, autopay, read_declined
from .autopay_setup import MAIL, PAGE, SetupRun, forgotten, setup_key, waiting
from .card_events import EventImport, import_events, since
from .card_gateway import CardError, CardGateway
from .card_mail import PREFIX as MAILED
from .card_mail import OpenLink, declined_email, setup_email
from .card_money import card_unit, from_minor
from .card_settings import StripeSettings
from .pay_links import LinkRun, known_urls, pay_links


@dataclass
class CardPayments:
    gateway: CardGateway
    settings: StripeSettings
    currency: str
    minor_unit: Decimal  # the card service's (card_money.card_unit), not the practice's rounding
    timezone: ZoneInfo

    def events(self, tables, state, now: datetime) -> EventImport:
        """New payments, refunds and disputes since the cursor (nothing written here)."""
        try:
            found = self.gateway.events(since(state, int(now.timestamp())))
        except CardError as exc:
            result = EventImport(state=forgotten(tables.get("clients"), state))
            result.errors.append(f"card payments not read: {exc}")
            return result
        result = import_events(found, tables, state, self.currency, self.minor_unit, self.timezone)
        result.state.update(forgotten(tables.get("clients"), state))
        self._fees(result.appends, tables, result.errors)
        return result

    def autopay(self, tables, state, invoices: Callable[[], list], now: datetime) -> AutoPayRun:
        """`invoices()`: the invoices as this cycle leaves them (asked only when AutoPay is due)."""
        local = now.astimezone(self.timezone)
        if local.hour < self.settings.autopay_hour:
            return AutoPayRun()
        run = autopay(self.gateway, tables, invoices, state, local.date(), self.currency, self.minor_unit)
        self._fees(run.appends, tables, run.errors)
        return run

    def _fees(self, appends: list, tables, errors: list[str]) -> None:
        """`payments.stripe.fees`: Stripe's fee on each card payment into its Fee cell."""
        if not self.settings.fees:
            return
        paid = [a for a in appends if a.values.get("reference", "").startswith("pi_")
                and a.values.get("amount", 0) > 0]
        payments = tables.get("payments")
        if paid and (payments is None or "fee" not in payments.columns):
            errors.append("payments.stripe.fees is on but the Payments tab has no Fee column; add one")
            return
        for append in paid:
            try:
                fee = self.gateway.fee(append.values["reference"])
            except CardError as exc:
                errors.append(f"{append.values['reference']}: Stripe's fee not read: {exc}")
                continue
            if fee is not None:
                append.values["fee"] = from_minor(fee, self.minor_unit)

    def setup_emails(self, config, tables, state, stamp: str, can_send: bool, lookup: bool,
                     report, clients=()) -> list:
        """AutoPay's card set-up emails owed (see autopay_setup.py), each in its client's language
        (`clients`: the Clients records); problems and errors go into `report`."""
        run = self.setups(config, tables, state, stamp, can_send, lookup, clients)
        report.errors += run.errors
        report.problems += run.problems
        return run.emails

    def setups(self, config, tables, state, stamp: str, can_send: bool, lookup: bool, clients=()) -> SetupRun:
        run = SetupRun()
        if not can_send:
            return run
        records = {c.client_id: c for c in clients}
        return_url = self.settings.return_url or config.practice.website or ""
        for client in waiting(tables.get("clients")):
            mark = state.get(MAIL + client.client_id, "")
            interrupted = state_is_sending(mark)
            if (mark and not interrupted) or (interrupted and not lookup):
                continue  # sent; or over SMTP a person says whether it went (core.delivery.unknown_outcomes)
            if not client.email:
                run.problems.append(RowProblem("clients", client.row, client.client_id,
                                               "AutoPay: no Email to send the card set-up link to"))
                continue
            record = records.get(client.client_id)
            if record is None:  # not among the Clients records read this cycle: asked again next cycle
                continue
            page = state.get(PAGE + client.client_id, "").split(" ")
            session_id, url = (page + [""])[:2]
            if not url:
                try:
                    made = self.gateway.create_setup(client.client_id, client.name, client.email, self.currency,
                                                     return_url, setup_key(client.client_id, client.name,
                                                                           client.email))
                except CardError as exc:
                    run.errors.append(f"AutoPay card set-up of {client.client_id}: link not made: {exc}")
                    break  # the service is down or refusing: try again next cycle
                session_id, url = made.session_id, made.url
            try:
                run.emails.append(setup_email(record, config.practice, config.email.sender,
                                              partial(email_template_of, config), url, session_id, mark, stamp,
                                              config.tab("clients").name, marked_id(mark) if interrupted else ""))
            except Exception as exc:  # a broken template, an unusable address: the next clients go on
                run.errors.append(f"AutoPay card set-up email of {client.client_id}: not made: {exc}")
        return run

    def links(self, tables, state, invoices, credit_note: Callable[[str], bool]) -> LinkRun:
        table = tables.get("invoices")
        shown = None
        if table is not None and "pay_link" in table.columns:
            shown = {text(table.get(v, "invoice_no")): text(table.get(v, "pay_link")) for _, v in table.rows}
        return pay_links(self.gateway, invoices, state, self.currency, self.minor_unit, shown, credit_note)


def declined_problems(run: AutoPayRun) -> list[RowProblem]:
    return [RowProblem("clients", d.row, d.client_id,
                       f"AutoPay: the card was declined ({d.message}); the client was emailed a pay link")
            for d in run.declined]


def declined_emails(config, today, stamp: str, clients, invoices, state, can_send: bool,
                    account: Callable[[str], Account], errors: list[str]) -> list:
    """The emails owed to clients whose card AutoPay declined today (each once, see card_mail),
    each listing the client's open invoices that have a pay link, with what is open on each as
    `account(client_id)` has it today."""
    if not can_send:
        return []
    day = today.isoformat()
    urls = known_urls(state)
    clients = {c.client_id: c for c in clients}
    out = []
    for key, value in state.items():
        if not (key.startswith(AUTOPAY) and key.endswith("/" + day) and value.startswith("declined ")):
            continue
        client_id = key[len(AUTOPAY):-len(day) - 1]
        mailed = state.get(f"{MAILED}{client_id}/{day}", "")
        client = clients.get(client_id)
        if (mailed and mailed != "sending") or client is None or not client.email:
            continue  # sent (or a person said so: `sheetbill resolve`)
        if mailed == "sending" and config.email.transport == "smtp":
            continue  # a run stopped while sending: over SMTP a person answers (core.delivery.unknown_outcomes)
        intent, cents, code, message = read_declined(value)
        amount = from_minor(cents, card_unit(config.practice.currency))
        mine = {i.invoice_no for i in invoices if i.client_id == client_id}
        links = []
        for no, url in sorted(urls.items()):
            if no in mine and (figures := _figures(account(client_id), no, today)) is not None \
                    and figures.balance > 0:
                links.append(OpenLink(no, figures.balance, url))
        try:
            item = declined_email(Declined(client_id, 0, amount, message, intent, code), client, config.practice,
                                  config.email.sender, partial(email_template_of, config), links, today, stamp)
        except Exception as exc:  # a broken template, an unusable address: the next clients go on
            errors.append(f"AutoPay declined-card email of {client_id}: not made: {exc}")
            continue
        item.interrupted = mailed == "sending"
        out.append(item)
    return out


def _figures(account: Account, invoice_no: str, today) -> InvoiceFigures | None:
    """The invoice as the client's account has it today; None when it is not on it."""
    return account.invoice(invoice_no, today) if account.charge(invoice_no) is not None else None
