"""payments.decline_reasons: the sentence a client reads for each common decline code, in their
language; and the decline code kept with a declined AutoPay charge (payments.autopay)."""

from __future__ import annotations

import pytest

from sheetbill.language import gettext_for
from sheetbill.payments.autopay import declined_state, read_declined
from sheetbill.payments.decline_reasons import GENERAL, REASONS, decline_reason

CODES = ["insufficient_funds", "card_declined", "expired_card", "incorrect_cvc", "processing_error", "lost_card",
         "stolen_card", "do_not_honor", "generic_decline"]


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("code", CODES + ["", "card_velocity_exceeded"])
def test_every_common_code_has_a_sentence_in_the_clients_language(code, language):
    english = decline_reason(code, str)
    said = decline_reason(code, gettext_for(language))
    assert english and said and said != english  # translated, never the English
    assert english == (REASONS[code] if code in CODES else GENERAL)


def test_the_sentences_say_what_happened_and_a_lost_or_stolen_card_reads_as_a_plain_decline():
    assert decline_reason("insufficient_funds", str) == "Your card does not have enough funds for this payment."
    assert decline_reason("EXPIRED_CARD", str) == "Your card has expired."
    assert decline_reason("lost_card", str) == decline_reason("stolen_card", str) == decline_reason(
        "generic_decline", str)
    assert decline_reason("who_knows", gettext_for("fr")) == "Votre carte n'a pas pu être débitée."


def test_the_decline_code_is_kept_with_the_charge_and_older_values_still_read():
    value = declined_state("pi_1", 6500, "insufficient_funds", "Your card has insufficient funds.")
    assert read_declined(value) == ("pi_1", 6500, "insufficient_funds", "Your card has insufficient funds.")
    assert read_declined("declined pi_1 6500 Your card was declined.") == (
        "pi_1", 6500, "", "Your card was declined.")
    assert read_declined(declined_state("", 100, "", "the payment is requires_action")) == (
        "-", 100, "", "the payment is requires_action")
