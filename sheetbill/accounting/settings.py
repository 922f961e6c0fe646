"""The config's `accounting:` section, as a frozen record.

    accounting:
      rates:                    # per tax rate: the revenue account and the tax code
        19: {account: "8400"}
        0: {account: "8100", tax_code: "Tax Exempt"}
      categories:               # optional, per VAT category (S, Z, E, AE, K, O): before the rate
        AE: {account: "8336"}
        O: {account: "8338", tax_code: ""}
      services:                 # optional, per service Code: overrides the category's and the rate's,
        LD60: {item: "Lymph drainage", account: "4000", tax_code: ""}
      receivable_account: ""    # "" : the format's default
      tax_account: ""           # IIF: where the tax goes
      payment_accounts: {Cash: "1000", Bank transfer: "1200", Card: "1360", Other: "1360"}
      datev: {consultant: 1234567, client: 10001, fiscal_year_start: "01-01",
              account_length: 4, chart: SKR03, debtor_account: "10000"}

Parsing never reads a file; errors go through `fail(key, message)`, which
names the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Mapping

from ..core.number import percent
from ..core.vat import CATEGORIES

Fail = Callable[[str, str], Exception]

SYNC_SYSTEMS = ("quickbooks", "xero")


@dataclass(frozen=True)
class RateMapping:
    account: str = ""
    tax_code: str = ""


@dataclass(frozen=True)
class ServiceMapping:
    item: str = ""
    account: str = ""
    tax_code: str = ""


@dataclass(frozen=True)
class Datev:
    consultant: int = 0  # Beraternummer (0: not configured)
    client: int = 0  # Mandantennummer (0: not configured)
    fiscal_year_start: tuple[int, int] = (1, 1)  # month, day
    account_length: int = 4  # Sachkontenlänge
    chart: str = "03"  # SKR03 or SKR04
    debtor_account: str = ""  # "" : 1 followed by zeros, one digit longer than a ledger account


@dataclass(frozen=True)
class AccountingSettings:
    sync: str = ""  # "", quickbooks or xero
    rates: Mapping[Decimal, RateMapping] = field(default_factory=dict)
    categories: Mapping[str, RateMapping] = field(default_factory=dict)  # VAT category -> as a rate's
    services: Mapping[str, ServiceMapping] = field(default_factory=dict)
    receivable_account: str = ""
    tax_account: str = ""
    payment_accounts: Mapping[str, str] = field(default_factory=dict)  # payment Method -> account
    datev: Datev = Datev()
    credentials: str = ""  # the sync's sign-in file, relative to the config ("": <sync>-token.json)


_KEYS = {"sync", "credentials", "rates", "categories", "services", "receivable_account", "tax_account", "payment_accounts", "datev"}
_DATEV_KEYS = {"consultant", "client", "fiscal_year_start", "account_length", "chart", "debtor_account"}


def parse(raw: Any, fail: Fail) -> AccountingSettings:
    """`accounting: xero` (the sync alone) or the section above."""
    if raw is None:
        return AccountingSettings()
    if isinstance(raw, str):
        raw = {"sync": raw}
    if not isinstance(raw, Mapping):
        raise fail("accounting", "must be quickbooks, xero, or a section with rates, services, datev...")
    for key in raw:
        if key not in _KEYS:
            raise fail(f"accounting.{key}", f"unknown key (one of {', '.join(sorted(_KEYS))})")
    sync = _text(raw.get("sync")).lower()
    if sync in ("none", "no", "false"):
        sync = ""
    if sync and sync not in SYNC_SYSTEMS:
        raise fail("accounting.sync", f"must be quickbooks or xero (got '{sync}')")
    return AccountingSettings(
        sync=sync, rates=_rates(raw.get("rates"), fail), categories=_categories(raw.get("categories"), fail),
        services=_services(raw.get("services"), fail),
        receivable_account=_text(raw.get("receivable_account")), tax_account=_text(raw.get("tax_account")),
        payment_accounts=_payment_accounts(raw.get("payment_accounts"), fail),
        datev=_datev(raw.get("datev"), fail), credentials=_text(raw.get("credentials")))


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value).strip()


def _mapping(value: Any, key: str, fail: Fail) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise fail(key, "must be a mapping")
    return value


def _rates(value: Any, fail: Fail) -> dict[Decimal, RateMapping]:
    out = {}
    for rate_text, spec in _mapping(value, "accounting.rates", fail).items():
        key = f"accounting.rates.{rate_text}"
        try:
            rate = percent(str(rate_text))
        except ValueError:
            raise fail(key, "must be a tax rate like 19 or 7%") from None
        out[rate.normalize()] = _rate_mapping(spec, key, fail)
    return out


def _categories(value: Any, fail: Fail) -> dict[str, RateMapping]:
    out = {}
    for name, spec in _mapping(value, "accounting.categories", fail).items():
        key = f"accounting.categories.{name}"
        category = _text(name).upper()
        if category not in CATEGORIES:
            raise fail(key, f"must be a VAT category, one of {', '.join(CATEGORIES)}")
        out[category] = _rate_mapping(spec, key, fail)
    return out


def _rate_mapping(spec: Any, key: str, fail: Fail) -> RateMapping:
    """`{account: ..., tax_code: ...}`, or the account alone."""
    if isinstance(spec, (str, int)) and not isinstance(spec, bool):
        return RateMapping(account=str(spec))
    spec = _mapping(spec, key, fail)
    unknown = set(spec) - {"account", "tax_code"}
    if unknown:
        raise fail(f"{key}.{sorted(unknown)[0]}", "unknown key (account, tax_code)")
    return RateMapping(_text(spec.get("account")), _text(spec.get("tax_code")))


def _services(value: Any, fail: Fail) -> dict[str, ServiceMapping]:
    out = {}
    for code, spec in _mapping(value, "accounting.services", fail).items():
        key = f"accounting.services.{code}"
        spec = _mapping(spec, key, fail)
        unknown = set(spec) - {"item", "account", "tax_code"}
        if unknown:
            raise fail(f"{key}.{sorted(unknown)[0]}", "unknown key (item, account, tax_code)")
        out[str(code).strip().upper()] = ServiceMapping(
            _text(spec.get("item")), _text(spec.get("account")), _text(spec.get("tax_code")))
    return out


def _payment_accounts(value: Any, fail: Fail) -> dict[str, str]:
    methods = {"card": "Card", "bank transfer": "Bank transfer", "cash": "Cash", "other": "Other"}
    out = {}
    for method, account in _mapping(value, "accounting.payment_accounts", fail).items():
        name = methods.get(str(method).strip().lower())
        if name is None:
            raise fail(f"accounting.payment_accounts.{method}", "must be Card, Bank transfer, Cash or Other")
        out[name] = _text(account)
    return out


def _datev(value: Any, fail: Fail) -> Datev:
    spec = _mapping(value, "accounting.datev", fail)
    for key in spec:
        if key not in _DATEV_KEYS:
            raise fail(f"accounting.datev.{key}", f"unknown key (one of {', '.join(sorted(_DATEV_KEYS))})")

    def whole(key: str, default: int, low: int, high: int, what: str) -> int:
        raw = spec.get(key)
        if raw is None:
            return default
        if isinstance(raw, bool) or not re.fullmatch(r"\d+", str(raw).strip()):
            raise fail(f"accounting.datev.{key}", f"must be {what} (got '{raw}')")
        number = int(str(raw).strip())
        if not low <= number <= high:
            raise fail(f"accounting.datev.{key}", f"must be {what} (got {number})")
        return number

    consultant = whole("consultant", 0, 1001, 9999999, "the consultant number (Beraternummer), 1001 to 9999999")
    client = whole("client", 0, 1, 99999, "the client number (Mandantennummer), 1 to 99999")
    length = whole("account_length", 4, 4, 8, "the ledger account length (Sachkontenlänge), 4 to 8")
    start_text = _text(spec.get("fiscal_year_start")) or "01-01"
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", start_text)
    if not m or not (1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 28):
        raise fail("accounting.datev.fiscal_year_start", f"must be month-day like 01-01 or 07-01 (got '{start_text}')")
    chart = _text(spec.get("chart")).upper().replace("SKR", "") or "03"
    if chart not in ("03", "04"):
        raise fail("accounting.datev.chart", f"must be SKR03 or SKR04 (got '{spec.get('chart')}')")
    debtor = _text(spec.get("debtor_account"))
    if debtor and not (debtor.isdigit() and len(debtor) == length + 1):
        raise fail("accounting.datev.debtor_account",
                   f"must be a debtor account of {length + 1} digits (account_length + 1), e.g. 1{'0' * length}")
    return Datev(consultant, client, (int(m[1]), int(m[2])), length, chart, debtor)
