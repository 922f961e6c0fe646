"""Why a card was declined, as the client reads it in AutoPay's declined-card email: a sentence for
each common decline code of the card service, in the client's language (the catalogues), and a
general one for any other code.

A lost or stolen card, and a bank that gives no reason, read as a plain decline: the card service
advises telling a client no more than that, and the client's bank tells them the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from ..language import N_

GENERAL = N_("Your card could not be charged.")
_NO_REASON = N_("Your bank declined the card without giving us a reason; your bank can tell you why.")
REASONS = {
    "insufficient_funds": N_("Your card does not have enough funds for this payment."),
    "card_declined": _NO_REASON,
    "generic_decline": _NO_REASON,
    "do_not_honor": _NO_REASON,
    "lost_card": _NO_REASON,
    "stolen_card": _NO_REASON,
    "expired_card": N_("Your card has expired."),
    "incorrect_cvc": N_("The card's security code (CVC) is incorrect."),
    "processing_error": N_("An error occurred while your card was being processed; trying again later may work."),
}


def decline_reason(code: str, translate: Callable[[str], str]) -> str:
    """The sentence for a decline `code` ("" or unknown: the general one), through `translate`."""
    return translate(REASONS.get(code.strip().lower(), GENERAL))
