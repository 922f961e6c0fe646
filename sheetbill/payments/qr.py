"""Payment QR codes: the EPC QR code ("GiroCode", EPC069-12) for euro
transfers inside SEPA, and the Swiss QR-bill payment part for francs.

Both carry the account, the open amount and the creditor reference, so the
client's banking app fills in the transfer and the bank import recognises
it. An invoice whose number makes no creditor reference carries its number
as unstructured remittance text instead (`remittance.remittance_text`). Images are SVG `data:` URLs, for any template to put in an <img>.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import qrbill  # type: ignore[import-untyped]
import segno

from .account import BankAccount

MAX_EPC_AMOUNT = Decimal("999999999.99")
MIN_AMOUNT = Decimal("0.01")


@dataclass(frozen=True)
class PaymentCode:
    kind: str  # "epc" or "swiss"
    payload: str  # what the QR code says
    image: str  # an SVG data: URL (the EPC code alone, or the whole Swiss payment part)


def payment_code(account: BankAccount | None, currency: str, amount: Decimal, reference: str,
                 creditor_address: str = "", text: str = "") -> PaymentCode | None:
    """The QR code that pays `amount` to `account` quoting the creditor `reference`, else the
    remittance `text`; or None: no account, nothing to pay, nothing to quote, or a currency and
    account no scheme covers (EUR needs a SEPA IBAN, CHF a Swiss or Liechtenstein one)."""
    if account is None or amount < MIN_AMOUNT or not (reference or text):
        return None
    code = currency.strip().upper()
    if code in ("EUR", "€") and account.sepa and amount <= MAX_EPC_AMOUNT:
        payload = epc_payload(account, amount, reference, text)
        return PaymentCode("epc", payload, epc_image(payload))
    if code in ("CHF", "FR.") and account.country in ("CH", "LI"):
        bill = swiss_bill(account, amount, reference, creditor_address, text)
        return PaymentCode("swiss", bill.qr_data(), swiss_image(bill))
    return None


def epc_payload(account: BankAccount, amount: Decimal, reference: str, text: str = "") -> str:
    """EPC069-12 version 002, UTF-8, SEPA credit transfer: the structured
    creditor reference when there is one, else the unstructured remittance
    `text` (the standard allows one of the two, not both)."""
    lines = (
        "BCD", "002", "1", "SCT",
        account.bic,
        account.holder[:70],
        account.iban,
        f"EUR{amount.quantize(MIN_AMOUNT)}",
        "",  # purpose
        reference,  # structured remittance (ISO 11649)
    )
    return "\n".join(lines + ((text[:140],) if text and not reference else ()))


def epc_image(payload: str) -> str:
    """The EPC QR code: error correction M, as the standard asks."""
    code = segno.make(payload, error="m", micro=False, boost_error=False, encoding="utf-8")
    return code.svg_data_uri(scale=4, border=4, unit="mm", xmldecl=False)


def swiss_bill(account: BankAccount, amount: Decimal, reference: str, address: str,
               text: str = "") -> qrbill.QRBill:
    """The QR-bill with the creditor `reference` (SCOR), else with none (NON) and `text` as its
    additional information (an unstructured message of up to 140 characters)."""
    return qrbill.QRBill(account=account.iban, creditor=_creditor(account.holder, address),
                         amount=str(amount.quantize(MIN_AMOUNT)), currency="CHF",
                         reference_number=reference or None,
                         additional_information="" if reference else text[:140], language="en")


def swiss_image(bill: qrbill.QRBill) -> str:
    """The payment part (receipt and payment slip, 210 x 105 mm) as SVG."""
    out = io.StringIO()
    bill.as_svg(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue().encode()).decode()


_COUNTRIES = {"switzerland": "CH", "schweiz": "CH", "suisse": "CH", "svizzera": "CH", "liechtenstein": "LI"}
_TOWN = re.compile(r"^(?:(?:CH|LI)[- ])?(\d{4})\s+(.+)$")


ADDRESS_PROBLEM = "must end with a line like '8001 Zürich' (postcode and town) for the Swiss QR-bill"


def swiss_address_problem(address: str) -> str:
    """Why the practice's address cannot be the QR-bill's creditor address, "" when it can."""
    try:
        _creditor("", address)
    except ValueError as exc:
        return str(exc)
    return ""


def _creditor(holder: str, address: str) -> dict[str, str]:
    """The practice's address as the QR-bill wants it: street, postcode, town (on lines of their
    own, or on one line between commas: `Seestrasse 4, 8002 Zürich`)."""
    lines = [line.strip() for line in address.replace("\r", "").split("\n") if line.strip()]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    country = _COUNTRIES.get(lines[-1].lower(), "") if len(lines) > 1 else ""
    if country:  # a last line naming the country
        lines = lines[:-1]
    town = _TOWN.match(lines[-1]) if lines else None
    if town is None:
        raise ValueError(ADDRESS_PROBLEM)
    if not country:
        country = "LI" if lines[-1].upper().startswith("LI") or 9485 <= int(town[1]) <= 9499 else "CH"
    street = lines[0] if len(lines) > 1 else ""
    return {"name": holder[:70], "street": street[:70], "pcode": town[1], "city": town[2][:35], "country": country}
