"""The invoices a bank credit can pay, kept by number, by client and by the name they are billed
to, so that matching an entry looks at one client's invoices rather than at the whole sheet's."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..core.model import Invoice
from ..core.payments import PAYABLE


class Payable:
    def __init__(self, invoices: Sequence[Invoice], names: Mapping[str, str]) -> None:
        """`names`: the clients' names by Client ID."""
        self.invoices = [i for i in invoices if i.status in PAYABLE and i.invoice_no]  # in the sheet's order
        self.by_number = {i.invoice_no: i for i in self.invoices}
        self._by_client: dict[str, list[Invoice]] = {}
        self._by_name: dict[str, list[int]] = {}
        for at, i in enumerate(self.invoices):
            self._by_client.setdefault(i.client_id, []).append(i)
            self._by_name.setdefault(names.get(i.client_id, i.client_name), []).append(at)

    def of_client(self, client_id: str) -> list[Invoice]:
        """The client's, in the sheet's order."""
        return self._by_client.get(client_id, [])

    def billed_to(self, fits: Callable[[str], bool]) -> list[Invoice]:
        """Those billed to a name `fits` (the client's, else the one the invoice has), in the sheet's order."""
        return [self.invoices[at] for at in sorted(at for name, ats in self._by_name.items() if fits(name)
                                                   for at in ats)]
