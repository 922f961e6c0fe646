"""The practice's bank account, as the config gives it: holder, IBAN, BIC."""

from __future__ import annotations

from dataclasses import dataclass

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException


@dataclass(frozen=True)
class BankAccount:
    holder: str  # the account holder's name, as the bank knows it
    iban: str  # compact, upper case
    bic: str = ""  # optional inside SEPA

    @property
    def country(self) -> str:
        return self.iban[:2]

    @property
    def sepa(self) -> bool:
        return IBAN(self.iban).in_sepa_zone


def is_qr_iban(iban: str) -> bool:
    """A Swiss or Liechtenstein QR-IBAN (its institution id 30000 to 31999): it takes only QR-bill
    payments with a QR reference (QRR), neither creditor references nor SEPA transfers."""
    return iban[:2] in ("CH", "LI") and iban[4:9].isdigit() and 30000 <= int(iban[4:9]) <= 31999


def account_problems(holder: str, iban: str, bic: str) -> list[tuple[str, str]]:
    """(key, message) for each thing wrong with the account; [] when it is usable."""
    out = []
    if not holder.strip():
        out.append(("holder", "is required with an IBAN (the name the bank knows the account by)"))
    elif len(holder.strip()) > 70:
        out.append(("holder", "must be at most 70 characters (what a payment QR code can carry)"))
    try:
        compact = IBAN(iban).compact
    except SchwiftyException as exc:
        out.append(("iban", f"'{iban}' is not a valid IBAN: {exc}"))
    else:
        if is_qr_iban(compact):
            out.append(("iban", f"'{iban}' is a QR-IBAN, which takes only QR-bill payments quoting a QR "
                                "reference, and the invoices quote a creditor reference (RF...): give the "
                                "account's ordinary IBAN (the bank states it beside the QR-IBAN)"))
    if bic.strip():
        try:
            BIC(bic)
        except SchwiftyException as exc:
            out.append(("bic", f"'{bic}' is not a valid BIC: {exc}"))
    return out


def bank_account(holder: str, iban: str, bic: str = "") -> BankAccount:
    """The account from checked text (see `account_problems`)."""
    return BankAccount(holder.strip(), IBAN(iban).compact, BIC(bic).compact if bic.strip() else "")
