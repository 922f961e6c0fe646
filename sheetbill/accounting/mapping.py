"""Which account, tax code and item each invoice line goes to, from `accounting:`.

A service's own mapping wins over its tax rate's; a value that is needed and
missing is a `MappingProblem` naming the service and the rate, collected so
that one run lists every gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.model import Line
from .settings import AccountingSettings, RateMapping, ServiceMapping


class MappingProblem(ValueError):
    """A line the config does not say where to book; str() says what to add."""


@dataclass(frozen=True)
class Booking:
    item: str
    account: str
    tax_code: str


def rate_text(rate: Decimal) -> str:
    return f"{rate.normalize():f}%"


class Mapper:
    def __init__(self, settings: AccountingSettings) -> None:
        self.settings = settings
        self.problems: list[str] = []

    def line(self, line: Line, need_account: bool = False, need_tax_code: bool = False) -> Booking:
        service = self.settings.services.get(line.code.strip().upper(), ServiceMapping())
        rate = self.settings.rates.get(line.tax_rate.normalize(), RateMapping())
        booking = Booking(item=service.item or line.code, account=service.account or rate.account,
                          tax_code=service.tax_code or rate.tax_code)
        if need_account and not booking.account:
            self._missing(f"service {line.code or '(none)'} at {rate_text(line.tax_rate)}: no account; add "
                          f"accounting.rates.{line.tax_rate.normalize():f}.account or "
                          f"accounting.services.{line.code or 'CODE'}.account")
        if need_tax_code and not booking.tax_code:
            self._missing(f"service {line.code or '(none)'} at {rate_text(line.tax_rate)}: no tax code; add "
                          f"accounting.rates.{line.tax_rate.normalize():f}.tax_code or "
                          f"accounting.services.{line.code or 'CODE'}.tax_code")
        return booking

    def _missing(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def check(self) -> None:
        if self.problems:
            raise MappingProblem("; ".join(self.problems))
