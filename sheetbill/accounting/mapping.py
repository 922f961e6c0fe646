"""Which account, tax code and item each invoice line goes to, from `accounting:`.

A service's own mapping wins over its VAT category's (reverse charge, outside
the scope...), which wins over its tax rate's; values that are needed and
missing are collected, so that one run lists every gap, and are one
`MappingProblem` naming each rate key to add once (and the services).
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
        self._missing: dict[str, dict[Decimal, list[str]]] = {}  # "account"/"tax_code" -> rate -> service codes

    def line(self, line: Line, need_account: bool = False, need_tax_code: bool = False) -> Booking:
        service = self.settings.services.get(line.code.strip().upper(), ServiceMapping())
        category = self.settings.categories.get(line.category, RateMapping())
        rate = self.settings.rates.get(line.tax_rate.normalize(), RateMapping())
        booking = Booking(item=service.item or line.code, account=service.account or category.account or rate.account,
                          tax_code=service.tax_code or category.tax_code or rate.tax_code)
        for field, needed, value in (("account", need_account, booking.account),
                                     ("tax_code", need_tax_code, booking.tax_code)):
            if needed and not value:
                codes = self._missing.setdefault(field, {}).setdefault(line.tax_rate.normalize(), [])
                if line.code not in codes:
                    codes.append(line.code)
        return booking

    @property
    def problems(self) -> list[str]:
        """What the config lacks, one message per field: each rate key to add named once."""
        return [_lacking(field, by_rate) for field, by_rate in self._missing.items()]

    def check(self) -> None:
        if self.problems:
            raise MappingProblem("; ".join(self.problems))


def _lacking(field: str, by_rate: dict[Decimal, list[str]]) -> str:
    rates = sorted(by_rate)
    codes = sorted({code or "(none)" for codes in by_rate.values() for code in codes})
    keys = " and ".join(f"accounting.rates.{rate:f}.{field}" for rate in rates)
    if len(codes) == 1:
        code = codes[0] if codes[0] != "(none)" else "<Code>"
        which, per_service = f"service {codes[0]}", f"accounting.services.{code}.{field}"
    else:
        which = f"services {', '.join(codes)}" if len(codes) <= 3 else f"{len(codes)} services"
        per_service = f"accounting.services.<Code>.{field} for a service"
    return (f"no {field.replace('_', ' ')} for {' and '.join(rate_text(r) for r in rates)} ({which}): add {keys}, "
            f"or {per_service}")
