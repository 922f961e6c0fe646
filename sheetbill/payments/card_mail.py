"""The email a client gets when AutoPay's charge of their card was declined:
what was asked, and a link to pay another way. Sent once (deliver.exactly_once.send_all),
its Message-ID derived from the client and the day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from ..deliver.compose import message_id
from ..deliver.exactly_once import Outgoing, Writes
from .autopay import Declined

PREFIX = "autopay-mail/"


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
                    mark=Writes(state={key: "sending"}), record=lambda: Writes(state={key: f"sent {stamp}"}),
                    unmark=Writes(state={key: ""}), kind="autopay")
