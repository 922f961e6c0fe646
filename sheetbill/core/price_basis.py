"""The basis a document prints its lines in: net, or gross (VAT included).

A line priced gross (Services `Prices` = gross) shows its gross unit price, so
its amount is its gross amount too: quantity x unit price - discount, the
line's `total` (see pricing.session_lines and invoice.allocate_tax). A
net-priced line shows its net. A line taxed at 0 % reads the same in either
basis (its net is its total), so it does not decide anything: a document is
gross when every taxed line is priced gross, net when none is, and mixed
otherwise (then each gross line's amount is marked as including VAT).
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Iterable

from .model import Line


class Basis(str, Enum):
    NET = "net"
    GROSS = "gross"
    MIXED = "mixed"


def shown_gross(line: Line) -> bool:
    """Whether the line's unit price and amount include VAT."""
    return line.gross and line.tax_rate > 0


def shown_amount(line: Line) -> Decimal:
    """The amount printed beside the line's unit price: in the price's own basis."""
    return line.total if shown_gross(line) else line.net


def basis(lines: Iterable[Line]) -> Basis:
    """Gross when every taxed line is priced gross, net when none is (or nothing is taxed), else mixed."""
    taxed = {line.gross for line in lines if line.tax_rate > 0}
    if taxed == {True}:
        return Basis.GROSS
    return Basis.MIXED if True in taxed else Basis.NET
