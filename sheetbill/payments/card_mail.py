"""The emails of AutoPay: the one a client gets when the charge of their card was declined
(what was asked, and each open invoice's link to pay another way), and the one that asks a
client to save a card. Sent once (deliver.exactly_once.send_all), in the client's language,
from the `autopay_declined_*` and `autopay_setup_*` email templates (a practice's own beside
its invoice templates, else sheetbill's, in English, German or French)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from ..core.changes import Changes
from ..core.document import Practice
from ..core.marks import AUTOPAY_MAIL
from ..core.model import Client
from ..deliver.compose import compose, message_id
from ..deliver.exactly_once import Outgoing
from ..language import document_language, gettext_for
from ..render.context import client_context, money_format, practice_context
from .autopay import Declined
from .decline_reasons import decline_reason

PREFIX = f"{AUTOPAY_MAIL}/"
Templates = Callable[[str], Path]  # a template's name -> its file (deliver.outgoing.email_template_of)


@dataclass(frozen=True)
class OpenLink:
    """An invoice's card pay link, and what is open on the invoice (the client's account, today)."""

    invoice_no: str
    open: Decimal
    url: str


def _context(client: Client, practice: Practice) -> dict:
    language = document_language(client.language, practice.language)
    return {"client": client_context(client), "practice": practice_context(practice), "language": language}


def declined_email(declined: Declined, client: Client, practice: Practice, sender: str, templates: Templates,
                   links: list[OpenLink], day: date, stamp: str) -> Outgoing:
    """The email to `client` whose card was declined on `day` charging `declined.amount`, with a
    line for each of `links`. Raises as deliver.compose.compose does."""
    context = _context(client, practice)
    amount = money_format(practice, context["language"])
    # why, in the client's words: a sentence for the decline code, never the card service's English
    reason = decline_reason(declined.code, gettext_for(context["language"]))
    context.update(amount=amount(declined.amount), reason=reason,
                   links=[{"number": link.invoice_no, "open": amount(link.open), "url": link.url} for link in links])
    msg = compose(context, datetime.combine(day, time(12), UTC),
                  message_id(("autopay-declined", declined.client_id, day.isoformat()),
                             f"autopay-declined\n{declined.client_id}\n{day}", sender),
                  sender, templates("autopay_declined_subject.txt"), templates("autopay_declined_body.txt"), None)
    key = f"{PREFIX}{declined.client_id}/{day.isoformat()}"
    return Outgoing(label=f"AutoPay declined {declined.client_id}", message=msg,
                    mark=Changes(state={key: "sending"}), record=lambda: Changes(state={key: f"sent {stamp}"}),
                    unmark=Changes(state={key: ""}), kind="autopay")


def setup_email(client: Client, practice: Practice, sender: str, templates: Templates, url: str, session_id: str,
                mark: str, stamp: str, clients_tab: str, interrupted_id: str = "") -> Outgoing:
    """The email that asks `client` to save a card for AutoPay (see autopay_setup.py): `mark`
    is what the email was marked with before (`interrupted_id` its Message-ID, when a run
    stopped while sending it). Once sent it is in the Changelog too (core.recover rebuilds it).
    Raises as deliver.compose.compose does."""
    from ..core.changelog import Change
    from ..core.marks import sending_state
    from .autopay_setup import MAIL, PAGE

    client_id = client.client_id
    context = {**_context(client, practice), "url": url}
    msg = compose(context, datetime.fromisoformat(stamp.replace("Z", "+00:00")),
                  interrupted_id or message_id(("autopay-setup", client_id),
                                               f"autopay-setup\n{client_id}\n{session_id}\n{stamp}", sender),
                  sender, templates("autopay_setup_subject.txt"), templates("autopay_setup_body.txt"), None)
    key = f"{MAIL}{client_id}"
    return Outgoing(label=f"AutoPay card set-up {client_id}", message=msg,
                    mark=Changes(state={f"{PAGE}{client_id}": f"{session_id} {url}",
                                       key: sending_state(stamp, str(msg["Message-ID"]))}),
                    record=lambda: Changes(state={key: stamp}, log=(Change(
                        stamp, "sheetbill", "autopay-setup", clients_tab, client_id, "AutoPay", "",
                        "card set-up link sent"),)),
                    unmark=Changes(state={key: mark}),
                    interrupted=bool(interrupted_id), kind="autopay")
