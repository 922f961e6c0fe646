"""Records of the practice's workbook, typed and immutable.

The book layer turns cells into these records; a cell that cannot be read
leaves its field empty and adds a human sentence to `errors`, so the row
can be flagged in its Problem column while everything else goes on.
A status cell (core.status reads it) is its member, or None when it names
none, with its text kept beside it: a Problem sentence quotes it and a cell
written over says what it held.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date
from decimal import Decimal
from enum import Enum

from .record import record


class SessionStatus(str, Enum):
    SCHEDULED = "Scheduled"
    COMPLETED = "Completed"
    CANCELLED = "Cancelled"
    NO_SHOW = "No-show"


class InvoiceStatus(str, Enum):
    DRAFT = "Draft"
    FINALIZED = "Finalized"
    PARTIALLY_PAID = "Partially Paid"
    PAID = "Paid"
    VOID = "Void"
    ARCHIVED = "Archived"


class InvoiceMode(str, Enum):
    PER_SESSION = "per-session"
    DAILY = "daily"


class BillingStatus(str, Enum):
    """What the Sessions tab's Billing Status column shows (a projection of its invoice)."""

    DRAFT = "Draft"
    INVOICED = "Invoiced"
    SENT = "Sent"
    PARTIALLY_PAID = "Partially Paid"  # the invoice's own status, shown as it is
    PAID = "Paid"
    ARCHIVED = "Archived"
    PROBLEM = "Problem"


LIVE_STATUSES = frozenset(
    {InvoiceStatus.DRAFT, InvoiceStatus.FINALIZED, InvoiceStatus.PARTIALLY_PAID,
     InvoiceStatus.PAID, InvoiceStatus.ARCHIVED}
)
# An issued invoice, open or paid: it is delivered (PDF, email) and payments apply to it.
ISSUED = frozenset({InvoiceStatus.FINALIZED, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID})


@record
class Discount:
    """`10%` (percent set) or a fixed amount off the session (amount set)."""

    percent: Decimal | None = None
    amount: Decimal | None = None

    def __str__(self) -> str:
        return f"{self.percent}%" if self.percent is not None else str(self.amount)


@record
class Extra:
    """One item of a session's Extras, e.g. `BANDAGE x2`."""

    code: str
    quantity: Decimal


@record
class Session:
    row: int
    session_id: str
    date: date | None
    client: str
    service: str
    quantity: Decimal | None
    extras: tuple[Extra, ...]
    discount: Discount | None
    provider: str
    status: SessionStatus | None  # None: the Status cell is empty or names no status (see status_text)
    notes: str
    invoice_no: str
    billing_status: BillingStatus | None  # None: empty, or a text that names none (unknown_billing_status)
    problem: str
    errors: tuple[str, ...] = ()
    status_text: str = ""  # the Status cell as typed (trimmed), quoted in the row's Problem sentences
    unknown_billing_status: str = ""  # Billing Status text that names no BillingStatus ("" when it does)

    @property
    def billing_status_text(self) -> str:
        """The Billing Status cell's text as read."""
        return self.billing_status.value if self.billing_status is not None else self.unknown_billing_status


@record
class Client:
    row: int
    client_id: str
    name: str
    email: str
    address: str
    discount: Discount | None
    terms_days: int | None
    invoice_mode: InvoiceMode | None  # None: empty (the config's default) or unknown_invoice_mode
    tax_id: str
    errors: tuple[str, ...] = ()
    balance: Decimal | None = None  # as the Clients tab shows it now (written by the worker)
    credit: Decimal | None = None
    vat_category: str = ""  # optional Clients column: overrides the services' category (core.vat)
    vat_id_problem: str = ""  # why Tax ID is not a valid EU VAT ID ("" when it is), from the book layer
    e_invoice: str = ""  # optional Clients column: none, facturx, xrechnung-cii, xrechnung-ubl, peppol
    buyer_reference: str = ""  # optional Clients column: BT-10, the Leitweg-ID of a German public body
    language: str = ""  # optional column Language: the locale its documents are written in ("fr_FR")
    unknown_invoice_mode: str = ""  # an Invoice Mode text that names no InvoiceMode ("" when it does)


@record
class ServicePrice:
    """One row of Services: a code's price from `valid_from` on."""

    row: int
    code: str
    description: str
    unit_price: Decimal | None
    tax_rate: Decimal | None
    unit: str
    valid_from: date | None
    active: bool
    errors: tuple[str, ...] = ()
    vat_category: str = ""  # optional Services column: S, Z, E, AE, K, O ("" from the rate, core.vat)
    exemption_reason: str = ""  # optional Services column: `VATEX-EU-132-1C Text` or the text alone
    prices: str = ""  # optional Services column: "gross" (price includes VAT) or "net" ("" = config)


@record
class Line:
    """One row of the Lines tab: a priced item of an invoice."""

    invoice_no: str
    session_id: str
    date: date | None
    code: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    row: int | None = field(default=None, compare=False)  # where it stands in Lines, once written
    vat_category: str = ""  # S, Z, E, AE, K, O; "" for a Lines row without it: see `category`
    exemption_reason: str = ""  # the reason text printed for E, AE, K, O and the small-business scheme
    vatex: str = ""  # its VATEX code (e.g. VATEX-EU-132-1C), "" when none
    gross: bool = False  # priced including VAT: `total` is the price, net and tax were taken out of it

    @property
    def category(self) -> str:
        """The VAT category; a line written without one is S when taxed, else E (exempt)."""
        return self.vat_category or implied_category(self.tax_rate)


def implied_category(rate: Decimal) -> str:
    """The category a Lines row without a VAT Category cell stands for."""
    return "S" if rate > 0 else "E"


@record
class Invoice:
    """One row of the Invoices tab with its lines: the ledger."""

    invoice_no: str
    issue_date: date | None
    due_date: date | None
    client_id: str
    client_name: str
    session_ids: tuple[str, ...]
    net: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    balance: Decimal
    status: InvoiceStatus | None  # None: the Status cell is empty or names no status (unknown_status)
    pdf: str = ""
    sent_at: str = ""
    message_id: str = ""
    checksum: str = ""
    row: int | None = None
    lines: tuple[Line, ...] = field(default=(), compare=False)
    unknown_status: str = ""  # a Status text that names no InvoiceStatus ("" when it does)

    @property
    def live(self) -> bool:
        """Issued or drafted, and not void; a Status typed as no status counts as live, so that
        its sessions are not billed again while the row waits for a status it names."""
        return self.status in LIVE_STATUSES or (self.status is None and bool(self.unknown_status.strip()))

    @property
    def status_text(self) -> str:
        """The Status cell's text: the status's own, or the unknown text as read."""
        return self.status.value if self.status is not None else self.unknown_status

    @property
    def key(self) -> str:
        return self.invoice_no

    def in_row(self, row: int) -> Invoice:
        """`replace(self, row=row)`, spelled out: a first cycle places every invoice it made in its
        new row, and `replace` takes several times as long."""
        return Invoice(self.invoice_no, self.issue_date, self.due_date, self.client_id, self.client_name,
                       self.session_ids, self.net, self.tax, self.total, self.paid, self.balance, self.status,
                       self.pdf, self.sent_at, self.message_id, self.checksum, row, self.lines, self.unknown_status)


class PaymentMethod(str, Enum):
    CARD = "Card"
    BANK_TRANSFER = "Bank transfer"
    CASH = "Cash"
    OTHER = "Other"


@record
class Allocation:
    """Part of a payment applied to one invoice (`Applied To`: `INV-2026-0001 40.00; ...`)."""

    invoice_no: str
    amount: Decimal


@record
class Payment:
    """One row of the Payments tab. `applied` is what earlier runs recorded in Applied To."""

    row: int
    payment_id: str
    date: date | None
    client: str  # a Client ID or exact name, may be empty when invoice_no is given
    invoice_no: str  # an Invoice No, or a Session ID for time-of-session billing, or empty
    amount: Decimal | None
    method: str
    reference: str
    applied: tuple[Allocation, ...]
    receipt_no: str
    receipt_sent_at: str
    problem: str
    errors: tuple[str, ...] = ()


@record
class CashDay:
    """One row of the Cash tab: the day's drawer."""

    row: int
    date: date | None
    opening: Decimal | None
    counted: Decimal | None
    cash_in: Decimal | None
    cash_out: Decimal | None
    expected: Decimal | None
    variance: Decimal | None
    status: str
    errors: tuple[str, ...] = ()


@record
class Ledger:
    """What the workbook holds, as records: the input of every plan."""

    sessions: tuple[Session, ...]
    clients: tuple[Client, ...]
    services: tuple[ServicePrice, ...]
    invoices: tuple[Invoice, ...]
    lines: tuple[Line, ...]
    payments: tuple[Payment, ...] = ()
    cash: tuple[CashDay, ...] = ()
    receipts_issued: tuple[str, ...] = ()  # the highest receipt number ever issued, per series (see numbering.highest)
