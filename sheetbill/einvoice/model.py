"""An invoice in the business terms of EN 16931 (BT-/BG- numbers in the
comments): what every e-invoice format writes, and nothing format-specific.

Amounts are as the standard wants them: a credit note (type 381) states
positive quantities and amounts, the opposite of sheetbill's negative ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

INVOICE = "380"
CREDIT_NOTE = "381"


@dataclass(frozen=True)
class Address:  # BG-5 / BG-8
    lines: tuple[str, ...]  # BT-35..BT-36
    city: str  # BT-37
    postcode: str  # BT-38
    country: str  # BT-40, ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Party:  # BG-4 seller / BG-7 buyer
    name: str  # BT-27 / BT-44
    address: Address
    vat_id: str = ""  # BT-31 / BT-48, with its country prefix
    tax_number: str = ""  # BT-32: the seller's national tax number
    email: str = ""  # BT-34 / BT-49 (scheme EM) and BT-43 for the seller's contact
    phone: str = ""  # BT-42
    identifier: str = ""  # BT-29: the seller's tax number when it has no VAT ID (BR-CO-26)


@dataclass(frozen=True)
class Category:
    """A VAT category (BT-151 / BT-118) with its rate and, when exempt, why."""

    code: str  # S, Z, E, AE, K, G, O, L, M
    rate: Decimal  # percent
    exemption_reason: str = ""  # BT-120
    exemption_code: str = ""  # BT-121, a VATEX code


@dataclass(frozen=True)
class InvoiceLine:  # BG-25
    line_id: str  # BT-126
    name: str  # BT-153
    seller_item_id: str  # BT-155
    quantity: Decimal  # BT-129
    unit_code: str  # BT-130
    price: Decimal  # BT-146, net of the line's allowance
    allowance: Decimal  # BG-27 BT-136: the discount on the line (0: none)
    net: Decimal  # BT-131 = quantity * price - allowance
    category: Category
    day: date | None = None  # BG-26: the session's day, as start and end of the line's period


@dataclass(frozen=True)
class VatBreakdown:  # BG-23
    category: Category
    taxable: Decimal  # BT-116
    tax: Decimal  # BT-117


@dataclass(frozen=True)
class PaymentInstructions:  # BG-16
    means_code: str  # BT-81: 58 SEPA credit transfer, 30 credit transfer, 1 not defined
    reference: str = ""  # BT-83, the RF creditor reference
    iban: str = ""  # BT-84
    account_name: str = ""  # BT-85
    bic: str = ""  # BT-86


@dataclass(frozen=True)
class Totals:  # BG-22
    line_net: Decimal  # BT-106
    tax_exclusive: Decimal  # BT-109
    tax: Decimal  # BT-110
    tax_inclusive: Decimal  # BT-112
    prepaid: Decimal  # BT-113
    due: Decimal  # BT-115


@dataclass(frozen=True)
class EInvoice:
    number: str  # BT-1
    type_code: str  # BT-3: 380 invoice, 381 credit note
    issue_date: date  # BT-2
    due_date: date | None  # BT-9
    currency: str  # BT-5
    buyer_reference: str  # BT-10 (the Leitweg-ID of a German public body)
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    breakdown: tuple[VatBreakdown, ...]
    totals: Totals
    payment: PaymentInstructions | None
    notes: tuple[str, ...] = ()  # BT-22
    preceding: str = ""  # BT-25: the invoice a credit note corrects
    preceding_date: date | None = None  # BT-26
    delivery_date: date | None = None  # BT-72
    deliver_to_country: str = ""  # BT-80, for an intra-community supply (K)
    payment_terms: str = ""  # BT-20
