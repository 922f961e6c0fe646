"""The workbook contract: tabs, columns, default headers and cell kinds.

Every header can be renamed in the config (`tabs:` and `columns:`); the
worker finds columns by header, so column order is free and extra admin
columns are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str = "text"  # text | date | datetime | money | decimal | percent | int | bool
    worker: bool = False  # written by the worker only
    optional: bool = False  # read where the admin added it; `init` does not create it
    capability: str = ""  # optional columns `init` adds when this capability is on ("insurance")


@dataclass(frozen=True)
class Tab:
    key: str
    name: str
    columns: tuple[Column, ...]
    worker: bool = False  # the whole tab is written by the worker
    hidden: bool = False
    key_field: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {c.field: c for c in self.columns})

    def column(self, field: str) -> Column:
        found = self._index.get(field)  # type: ignore[attr-defined]
        if found is None:
            raise KeyError(f"{self.name} has no column {field}")
        return found

    @property
    def headers(self) -> tuple[str, ...]:
        """The headers `init` writes (optional columns left out)."""
        return tuple(c.header for c in self.columns if not c.optional)

    def created(self, capabilities: frozenset[str] = frozenset()) -> tuple[Column, ...]:
        """The columns `init` writes with these capabilities switched on."""
        return tuple(c for c in self.columns if not c.optional or c.capability in capabilities)


def _cols(*spec: str) -> tuple[Column, ...]:
    """`'Header:kind:w'` strings -> columns; field is the header in snake case."""
    out = []
    for item in spec:
        header, _, rest = item.partition(":")
        kind, _, w = rest.partition(":")
        field = header.lower().replace(" (days)", "_days").replace(" ", "_")
        out.append(Column(field, header, kind or "text", w == "w"))
    return tuple(out)


REMINDERS = Column("reminders", "Reminders", optional=True)  # "No": never remind (client or invoice)
ACCOUNTING = Column("accounting", "Accounting", worker=True, optional=True)  # the sync's remote id and time
LANGUAGE = Column("language", "Language", optional=True,  # the client's locale: de, fr_FR, en_IE (sheetbill.language)
                  capability="language")
PAY_LINK = Column("pay_link", "Pay Link", worker=True, optional=True, capability="stripe")  # the card pay link
AUTOPAY = (Column("autopay", "AutoPay", optional=True, capability="stripe"),  # Yes: charge the saved card daily
           Column("stripe_customer", "Stripe Customer", optional=True, capability="stripe"))  # cus_...
FEE = Column("fee", "Fee", "money", worker=True, optional=True, capability="stripe")  # Stripe's fee (payments.stripe.fees)


def _insurance(*spec: str) -> tuple[Column, ...]:
    """Optional columns of practices that give superbills (config `insurance:`)."""
    return tuple(replace(c, optional=True, capability="insurance") for c in _cols(*spec))


INSURANCE = "insurance"
VAT = "vat"


def _vat(*spec: str, worker: bool = False) -> tuple[Column, ...]:
    """Optional VAT columns (core.vat): read where present, `init` adds them with `vat`."""
    return tuple(replace(c, optional=True, capability=VAT, worker=worker) for c in _cols(*spec))

EINVOICE = "einvoice"


def init_capabilities(insurance: bool = False, vat: bool = False, einvoice: bool = False) -> frozenset[str]:
    """The optional columns `init` adds: `--insurance` the superbill ones; `--vat` the VAT
    columns and the client's Language (the notes are printed in it); `--einvoice` the
    e-invoice columns and `--vat`'s (an e-invoice states each line's VAT category)."""
    out = {INSURANCE} if insurance else set()
    if vat or einvoice:
        out |= {VAT, "language"}
    if einvoice:
        out.add(EINVOICE)
    return frozenset(out)


EINVOICE_COLUMNS = (  # sheetbill.einvoice
    Column("e_invoice", "E-Invoice", optional=True, capability=EINVOICE),
    Column("buyer_reference", "Buyer Reference", optional=True, capability=EINVOICE))

DEFAULT_TABS: tuple[Tab, ...] = (
    Tab("sessions", "Sessions", _cols(
        "Session ID", "Date:date", "Client", "Service", "Quantity:decimal", "Extras", "Discount",
        "Provider", "Status", "Notes", "Invoice No::w", "Billing Status::w", "Problem::w")
        + _insurance("Diagnosis", "Place of Service"), key_field="session_id"),
    Tab("clients", "Clients", _cols(
        "Client ID", "Name", "Email", "Address", "Discount", "Terms (days):int", "Invoice Mode",
        "Tax ID", "Balance:money:w", "Credit:money:w") + (REMINDERS, LANGUAGE) + AUTOPAY + _vat("VAT Category")
        + EINVOICE_COLUMNS
        + _insurance("Superbill", "Date of Birth:date", "Insurer", "Member ID", "Group No", "Relationship"),
        key_field="client_id"),
    Tab("services", "Services", _cols(
        "Code", "Description", "Unit Price:money", "Tax Rate:percent", "Unit", "Valid From:date",
        "Active:bool") + _insurance("Procedure Code", "Modifiers")
        + _vat("VAT Category", "Exemption Reason", "Prices"), key_field="code"),
    Tab("invoices", "Invoices", _cols(
        "Invoice No", "Issue Date:date", "Due Date:date", "Client ID", "Client Name", "Sessions",
        "Net:money", "Tax:money", "Total:money", "Paid:money", "Balance:money", "Status", "PDF",
        "Sent At", "Message ID", "Checksum") + (REMINDERS, ACCOUNTING, PAY_LINK), worker=True, key_field="invoice_no"),
    Tab("lines", "Lines", _cols(
        "Invoice No", "Session ID", "Date:date", "Code", "Description", "Quantity:decimal",
        "Unit Price:money", "Discount:money", "Tax Rate:percent", "Net:money", "Tax:money",
        "Total:money") + _vat("VAT Category", "Exemption Reason", "VATEX", "Prices", worker=True),
        worker=True, key_field="invoice_no"),
    Tab("payments", "Payments", _cols(
        "Payment ID", "Date:date", "Client", "Invoice No", "Amount:money", "Method", "Reference",
        "Applied To::w", "Receipt No::w", "Receipt Sent At::w", "Problem::w") + (ACCOUNTING, FEE),
        key_field="payment_id"),
    Tab("cash", "Cash", _cols(
        "Date:date", "Opening:money", "Counted:money", "Cash In:money:w", "Cash Out:money:w",
        "Expected:money:w", "Variance:money:w", "Status::w"), key_field="date"),
    Tab("bank", "Bank", _cols(
        "Date:date:w", "Amount:money:w", "Counterparty::w", "Text::w", "Reference::w", "File::w", "Matched To",
        "Problem::w"), key_field="reference"),  # bank statement entries; Matched To: the admin may fill it
    Tab("dashboard", "Dashboard", _cols("Item", "Value:money", "Count:int"), worker=True, key_field="item"),
    Tab("changelog", "Changelog", _cols(
        "At", "Actor", "Action", "Tab", "Key", "Field", "Before", "After", "Hash"), worker=True),
    Tab("state", "_sheetbill", _cols("Key", "Value"), worker=True, hidden=True, key_field="key"),
)


def tabs_with(tab_names: Mapping[str, str], headers: Mapping[str, Mapping[str, str]]) -> tuple[Tab, ...]:
    """The default tabs with the config's renamed tabs and headers applied."""
    out = []
    for tab in DEFAULT_TABS:
        renamed = headers.get(tab.key, {})
        cols = tuple(replace(c, header=renamed.get(c.field, c.header)) for c in tab.columns)
        out.append(Tab(tab.key, tab_names.get(tab.key, tab.name), cols, tab.worker, tab.hidden, tab.key_field))
    return tuple(out)


FIELDS: dict[str, frozenset[str]] = {t.key: frozenset(c.field for c in t.columns) for t in DEFAULT_TABS}
