"""The email a client gets when AutoPay's charge of their card was declined:
what was asked, and a link to pay another way. Sent once (deliver.exactly_once.send_all),
its Message-ID derived from the client and the day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from ..core.marks import AUTOPAY_MAIL
from ..deliver.compose import message_id
from ..core.changes import Changes
from ..deliver.exactly_once import Outgoing
from .autopay import Declined

PREFIX = f"{AUTOPAY_MAIL}/"


def declined_email(declined: Declined, name: str, email: str, practice: str, sender: str, amount: str,
                   links: list[str], day: date, stamp: str) -> Outgoing:
    msg = EmailMessage()
    msg["From"] = formataddr((practice, sender))
    msg["To"] = formataddr((name, email))
    msg["Subject"] = f"{practice}: your card payment of {amount} did not go through"
    msg["Date"] = format_datetime(datetime.combine(day, time(12), UTC))
    msg["Message-ID"] = message_id(("autopay-declined", declined.client_id, day.isoformat()),
                                   f"autopay-declined\n{declined.client_id}\n{day}", sender)
    pay = "\n".join(f"  {u}" for u in links) or "  (reply to this email and we will send you a link)"
    msg.set_content(
        f"Dear {name},\n\nwe tried to charge your saved card for your open balance of {amount} today, "
        f"but the payment was declined ({declined.message}).\n\nPlease pay here:\n{pay}\n\n"
        f"or update your card with us. Nothing else is charged today.\n\n{practice}\n")
    key = f"{PREFIX}{declined.client_id}/{day.isoformat()}"
    return Outgoing(label=f"AutoPay declined {declined.client_id}", message=msg,
                    mark=Changes(state={key: "sending"}), record=lambda: Changes(state={key: f"sent {stamp}"}),
                    unmark=Changes(state={key: ""}), kind="autopay")


def setup_email(client_id: str, name: str, email: str, practice: str, sender: str, url: str, session_id: str,
                mark: str, stamp: str, clients_tab: str, interrupted_id: str = "") -> Outgoing:
    """The email that asks a client to save a card for AutoPay (see autopay_setup.py): `mark`
    is what the email was marked with before (`interrupted_id` its Message-ID, when a run
    stopped while sending it). Once sent it is in the Changelog too (core.recover rebuilds it)."""
    from ..core.changelog import Change
    from ..core.marks import sending_state
    from .autopay_setup import MAIL, PAGE

    msg = EmailMessage()
    msg["From"] = formataddr((practice, sender))
    msg["To"] = formataddr((name, email))
    msg["Subject"] = f"{practice}: save a card for automatic payment"
    msg["Date"] = format_datetime(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
    msg["Message-ID"] = interrupted_id or message_id(("autopay-setup", client_id),
                                                     f"autopay-setup\n{client_id}\n{session_id}\n{stamp}", sender)
    msg.set_content(
        f"Dear {name},\n\nyou asked us to charge your card automatically (AutoPay). Please save the card "
        f"you would like us to use on this secure page of our payment provider, Stripe:\n\n  {url}\n\n"
        f"The link is valid for 24 hours. From then on, what is open on your invoices is charged to this card "
        f"(at most once a day), and you get a receipt for each payment.\nIf the link has expired, reply to "
        f"this email and we will send you a new one.\n\n{practice}\n")
    key = f"{MAIL}{client_id}"
    return Outgoing(label=f"AutoPay card set-up {client_id}", message=msg,
                    mark=Changes(state={f"{PAGE}{client_id}": f"{session_id} {url}",
                                       key: sending_state(stamp, str(msg["Message-ID"]))}),
                    record=lambda: Changes(state={key: stamp}, log=(Change(
                        stamp, "sheetbill", "autopay-setup", clients_tab, client_id, "AutoPay", "",
                        "card set-up link sent"),)),
                    unmark=Changes(state={key: mark}),
                    interrupted=bool(interrupted_id), kind="autopay")
