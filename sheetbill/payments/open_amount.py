"""How much an invoice still asks for: the amount in its payment QR code.

The one place that says it. Today it is the invoice's Balance as the cycle
leaves it (after this cycle's payments, `core.payments`); when the client's
account is modelled in one place, this function asks it instead.
"""

from __future__ import annotations

from decimal import Decimal

from ..core.model import Invoice
from ..core.number import ZERO
from ..core.payments import PAYABLE
from ..core.statement import Statement


def open_amount(invoice: Invoice) -> Decimal:
    """What is still to pay on `invoice`; 0 for a paid, draft, void or archived one."""
    if invoice.status not in PAYABLE or invoice.balance <= 0:
        return ZERO
    return invoice.balance


def statement_open_amount(statement: Statement) -> Decimal:
    """What a statement asks the client to pay: its balance due (closing less credit); 0 when none."""
    return statement.due if statement.due > 0 else ZERO
