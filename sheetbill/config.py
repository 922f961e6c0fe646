"""YAML -> a frozen, validated config. Every error names the file and the key."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from babel.numbers import get_currency_precision, list_currencies

from .accounting.settings import AccountingSettings
from .accounting.settings import parse as accounting_settings
from .book.schema import FIELDS, Tab, tabs_with
from .core.billing import BillingRules
from .core.document import Practice
from .core.limits import Limits
from .core.model import InvoiceMode
from .core.number import D
from .core.numbering import NumberPattern, PatternError
from .errors import ConfigError
from .insurance import settings as insurance_settings
from .insurance.settings import InsuranceSettings
from .vat_config import SHAPE as VAT_SHAPE
from .vat_config import vat_rules
from .language import UnknownLanguage, parse_language
from .payments.bank_settings import BankSettings, bank_settings
from .payments.card_settings import StripeSettings, stripe_settings

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    username: str
    password_env: str
    timeout_seconds: float


@dataclass(frozen=True)
class Email:
    transport: str
    outbox: Path
    sender: str
    reply_to: str
    bcc: str
    subject_template: Path
    body_template: Path
    smtp: Smtp | None


@dataclass(frozen=True)
class Render:
    engine: str
    template: Path
    output: Path


@dataclass(frozen=True)
class GoogleSettings:
    """The Google backend: the spreadsheet, the sign-in, where PDFs go."""

    spreadsheet_id: str
    credentials: Path  # a token from `sheetbill auth google`, or a service-account key
    client_secrets: Path | None  # the OAuth client `sheetbill auth google` signs in with
    docs_template: str  # Google Docs template id (render.engine: gdocs)
    drive_folder: str  # Drive folder id for the PDFs ("": the local render.output folder)
    impersonate: str  # service account with domain-wide delegation: the mailbox to act as


@dataclass(frozen=True)
class Schedule:
    every_minutes: float
    daily_at: time | None
    alert_after_failures: int = 3  # failed cycles in a row before the practice is emailed (0: never)
    alert_after_open_hours: float = 4  # hours the workbook may stay open in Excel before cycles count as failed


@dataclass(frozen=True)
class Config:
    path: Path
    workbook: Path | None
    google: GoogleSettings | None
    practice: Practice
    timezone: ZoneInfo
    rules: BillingRules
    day_first: bool
    render: Render
    email: Email
    schedule: Schedule
    backups: int
    tabs: tuple[Tab, ...] = field(default=())
    reminders: tuple[int, ...] = ()  # days after the due date; empty: no reminders
    monthly_statements: bool = False  # last month's statement to each active client
    insurance: InsuranceSettings | None = None  # superbills (the `insurance:` section, enabled)
    accounting: AccountingSettings = AccountingSettings()  # exports and the sync (`accounting:`)
    stripe: StripeSettings | None = None  # card pay links and AutoPay (`payments.stripe:`)
    bank: BankSettings = BankSettings()  # the statement drop folder and CSV columns (`payments.bank:`)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tabs", {t.key: t for t in self.tabs})

    def tab(self, key: str) -> Tab:
        return self._tabs[key]  # type: ignore[attr-defined]


_SHAPE: dict[str, Any] = {
    "workbook": None, "google": {k: None for k in ("spreadsheet_id", "credentials", "client_secrets", "docs_template",
                                                  "drive_folder", "impersonate")},
    "practice": {k: None for k in ("name", "address", "email", "phone", "tax_id", "bank", "website",
                                    "currency", "minor_unit", "timezone", "payment_note", "language")},
    "billing": {k: None for k in ("invoice_number", "credit_note_number", "receipt_number", "payment_id",
                                   "session_id", "invoice_mode",
                                   "terms_days", "finalize", "no_show_service", "day_first", "require_email",
                                   "archive_after_days")},
    "render": {"engine": None, "template": None, "output": None},
    "email": {"transport": None, "outbox": None, "from": None, "reply_to": None, "bcc": None,
              "subject_template": None, "body_template": None,
              "smtp": {k: None for k in ("host", "port", "security", "username", "password_env",
                                         "timeout_seconds")}},
    "schedule": {"every_minutes": None, "daily_at": None, "alert_after_failures": None,
                 "alert_after_open_hours": None},
    "reminders": {"days": None},
    "statements": {"monthly": None},
    "insurance": "free",  # checked by insurance.settings
    "limits": {"quantity": None, "line_amount": None, "payment_amount": None, "prepayment_days": None},
    "payments": {"account": {"holder": None, "iban": None, "bic": None}, "stripe": "free", "bank": "free"},
    "backups": None, "tabs": "free", "columns": "free",
    "accounting": "free",  # checked by accounting/settings.py
    "vat": VAT_SHAPE,
}


class _Doc:
    """Typed access to the parsed YAML with errors that name file and key."""

    def __init__(self, path: Path, data: Mapping[str, Any]) -> None:
        self.path, self.data = path, data

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path.name}: {key}: {message}")

    def raw(self, key: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node or node[part] is None:
                return default
            node = node[part]
        return node

    def text(self, key: str, default: str = "") -> str:
        value = self.raw(key, default)
        if isinstance(value, (dict, list)):
            raise self.fail(key, "must be a single value")
        return str(value).strip() if key != "practice.address" else str(value).strip("\n")

    def choice(self, key: str, default: str, options: tuple[str, ...]) -> str:
        value = self.text(key, default).lower()
        if value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)} (got '{value}')")
        return value

    def number(self, key: str, default: float | str, convert: Callable[[str], Any] = int, minimum: float = 0) -> Any:
        value = self.raw(key, default)
        try:
            if isinstance(value, bool):
                raise ValueError
            result = convert(str(value))
        except (ValueError, ArithmeticError):
            raise self.fail(key, f"must be a number (got '{value}')") from None
        if result < minimum:
            raise self.fail(key, f"must be at least {minimum} (got {value})")
        return result

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false (got '{value}')")
        return value

    def file(self, key: str, default: str) -> Path:
        return (self.path.parent / self.text(key, default)).resolve()

    def pattern(self, key: str, default: str) -> NumberPattern:
        try:
            return NumberPattern(self.text(key, default))
        except PatternError as exc:
            raise self.fail(key, str(exc)) from None


def _unknown_keys(data: Any, shape: Any, prefix: str = "") -> list[str]:
    if shape == "free" or not isinstance(data, Mapping) or not isinstance(shape, Mapping):
        return []
    out = []
    for key, value in data.items():
        full = f"{prefix}{key}"
        if key not in shape:
            close = difflib.get_close_matches(str(key), list(shape), n=1)
            out.append(f"unknown key '{full}'" + (f" (did you mean '{prefix}{close[0]}'?)" if close else ""))
        elif shape[key] is not None:
            out.extend(_unknown_keys(value, shape[key], f"{full}."))
    return out


def _parse(text: str) -> tuple[Any, list[tuple[str, int, int]]]:
    """The YAML's data as `yaml.safe_load` makes it, and each key a mapping gives more than once
    (dotted, with the lines of its first and of its later entry): YAML keeps only the last."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        twice = _duplicate_keys(loader, node) if node is not None else []
        return loader.construct_document(node) if node is not None else None, twice
    finally:
        loader.dispose()


def _duplicate_keys(loader: yaml.SafeLoader, node: yaml.Node, prefix: str = "",
                    seen: set[int] | None = None) -> list[tuple[str, int, int]]:
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias: its keys are checked where its anchor is
        return []
    seen.add(id(node))
    out: list[tuple[str, int, int]] = []
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out += _duplicate_keys(loader, item, f"{prefix}{i}.", seen)
    elif isinstance(node, yaml.MappingNode):
        first: dict[Any, int] = {}
        for key, value in node.value:
            if key.tag == "tag:yaml.org,2002:merge":  # `<<`: the keys it merges in give way to these
                out += _duplicate_keys(loader, value, prefix, seen)
                continue
            if not isinstance(key, yaml.ScalarNode):  # a list as a key: construct_document says what is wrong
                continue
            name = loader.construct_object(key, deep=True)  # `1` and `"1"` are two keys, `yes` and `true` one
            line = key.start_mark.line + 1
            if name in first:
                out.append((f"{prefix}{name}", first[name], line))
            else:
                first[name] = line
            out += _duplicate_keys(loader, value, f"{prefix}{name}.", seen)
    return out


def load(path: str | Path) -> Config:
    path = Path(path)
    try:
        data, twice = _parse(path.read_text(encoding="utf-8"))
        data = data or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file (create one with `sheetbill init DIR`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {getattr(exc, 'strerror', None) or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path.name}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if twice:  # YAML would keep the last silently: which one was meant is the admin's to say
        raise ConfigError(f"{path.name}: " + "; ".join(
            f"key '{key}' is given twice (lines {one} and {other}); keep one of them"
            for key, one, other in twice))
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path.name}: must be a mapping of keys (see config.example.yaml)")
    _no_password_here(path, data)
    unknown = _unknown_keys(data, _SHAPE)
    if unknown:
        raise ConfigError(f"{path.name}: " + "; ".join(unknown))
    doc = _Doc(path, data)
    return _build(doc)


def build(path: Path, data: Mapping[str, Any]) -> Config:
    """The config of already parsed YAML, its values checked (not its keys): what is left of a file
    that does not load (config_salvage.py)."""
    return _build(_Doc(path, data))


SMTP_PASSWORD_ENV = "SHEETBILL_SMTP_PASSWORD"
WHERE_SECRETS_GO = "on a server: in the service's environment file, /etc/sheetbill/env"


def _no_password_here(path: Path, data: Mapping[str, Any]) -> None:
    """A password written into the YAML is refused without repeating it (the message goes to logs)."""
    smtp = data.get("email", {}).get("smtp") if isinstance(data.get("email"), Mapping) else None
    if not isinstance(smtp, Mapping):
        return
    env = smtp.get("password_env")
    env = env.strip() if isinstance(env, str) and _ENV_NAME.fullmatch(env.strip()) else SMTP_PASSWORD_ENV
    for key in smtp:
        if isinstance(key, str) and "pass" in key.lower() and key != "password_env":
            raise ConfigError(f"{path.name}: email.smtp.{key}: the SMTP password is never kept in the YAML; "
                              f"remove it and set the environment variable {env} to it instead "
                              f"({WHERE_SECRETS_GO})")


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _build(doc: _Doc) -> Config:
    workbook = doc.text("workbook")
    google = doc.raw("google")
    if not workbook and not google:
        raise doc.fail("workbook", "name the Excel workbook (or a google: section)")
    if workbook and google:
        raise doc.fail("google", "give either workbook or google, not both")
    if not google and doc.text("render.engine").lower() == "gdocs":
        raise doc.fail("render.engine", "gdocs renders from a Google Docs template: it needs the google: section")
    if not google and doc.text("email.transport").lower() == "gmail":
        raise doc.fail("email.transport", "gmail sends through the Gmail API: it needs the google: section")
    if google and doc.text("render.engine").lower() == "gdocs" and not doc.text("google.docs_template"):
        raise doc.fail("google.docs_template", "is required with render.engine gdocs (the template document's id)")
    tz_name = doc.text("practice.timezone", "UTC")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise doc.fail("practice.timezone", f"unknown time zone '{tz_name}' (e.g. Europe/Berlin)") from None
    currency = doc.text("practice.currency", "EUR").upper()
    if currency not in list_currencies():  # an invoice, its QR code and its e-invoice name the ISO 4217 code
        raise doc.fail("practice.currency", f"'{doc.text('practice.currency')}' is not an ISO 4217 currency code "
                                            "(EUR, CHF, GBP, USD...)")
    smallest = D(1).scaleb(-get_currency_precision(currency))  # 0.01 for EUR, 1 for JPY
    minor = doc.number("practice.minor_unit", str(smallest), D, minimum=0).normalize()  # "0.010" rounds as 0.01
    if not 0 < minor <= 1 or minor != D(1).scaleb(minor.adjusted()):  # amounts are rounded to its decimal places
        raise doc.fail("practice.minor_unit", f"must be 1 or a tenth of it (1, 0.1, 0.01...), not {minor}")
    if minor < smallest:
        raise doc.fail("practice.minor_unit", f"{minor} is smaller than the smallest amount of {currency} "
                                              f"({smallest}); leave it out to use that")
    name = doc.text("practice.name")
    if not name:
        raise doc.fail("practice.name", "is required (it heads every invoice)")
    practice = Practice(
        name=name, address=doc.text("practice.address"), email=doc.text("practice.email"),
        phone=doc.text("practice.phone"), tax_id=doc.text("practice.tax_id"),
        bank=doc.text("practice.bank"), website=doc.text("practice.website"),
        currency=currency, minor_unit=minor,
        payment_note=doc.text("practice.payment_note"), language=_language(doc), **_account(doc))
    mode = doc.choice("billing.invoice_mode", "per-session", tuple(m.value for m in InvoiceMode))
    rules = BillingRules(
        invoice_pattern=doc.pattern("billing.invoice_number", "INV-{year}-{seq:04}"),
        session_id_pattern=doc.pattern("billing.session_id", "S-{seq:05}"),
        credit_note_pattern=doc.pattern("billing.credit_note_number", "CN-{year}-{seq:04}"),
        receipt_pattern=doc.pattern("billing.receipt_number", "RCPT-{year}-{seq:04}"),
        payment_id_pattern=doc.pattern("billing.payment_id", "P-{seq:05}"),
        archive_after_days=doc.number("billing.archive_after_days", 0) or None,
        default_mode=InvoiceMode(mode),
        default_terms_days=doc.number("billing.terms_days", 14),
        finalize=doc.choice("billing.finalize", "auto", ("auto", "review")),
        no_show_service=doc.text("billing.no_show_service") or None,
        minor_unit=minor,
        require_email=doc.flag("billing.require_email", True), limits=_limits(doc),
        vat=vat_rules(doc, doc.fail))
    return Config(
        path=doc.path.resolve(),
        workbook=doc.file("workbook", "") if workbook else None,
        google=_google(doc) if google else None,
        practice=practice, timezone=tz, rules=rules, day_first=doc.flag("billing.day_first", True),
        render=_render(doc), email=_email(doc), schedule=_schedule(doc),
        backups=doc.number("backups", 5), tabs=_tabs(doc), reminders=_reminder_days(doc),
        monthly_statements=doc.flag("statements.monthly", False),
        insurance=insurance_settings.parse(doc),
        accounting=accounting_settings(doc.raw("accounting"), doc.fail),
        stripe=stripe_settings(doc.raw("payments.stripe"), doc.fail),
        bank=bank_settings(doc.raw("payments.bank"), doc.path.resolve().parent, doc.fail))


def _limits(doc: _Doc) -> Limits:
    """Beyond these a row is held with a Problem (a typo, until a person raises the limit)."""
    def amount(key: str, default: str) -> Decimal | None:
        return doc.number(f"limits.{key}", default, D, minimum=0) or None

    return Limits(amount("quantity", "100"), amount("line_amount", "10000"), amount("payment_amount", "50000"),
                  doc.number("limits.prepayment_days", 90, int, minimum=0) or None)


def _language(doc: _Doc) -> str:
    """practice.language: the locale of documents whose client has no Language."""
    try:
        return parse_language(doc.text("practice.language"))
    except UnknownLanguage as exc:
        raise doc.fail("practice.language", str(exc)) from None


def _account(doc: _Doc) -> dict[str, str]:
    """`payments.account`: the account the payment QR codes pay into, checked."""
    from .payments.account import account_problems, bank_account

    iban = doc.text("payments.account.iban")
    if not iban:
        return {}
    holder = doc.text("payments.account.holder") or doc.text("practice.name")
    bic = doc.text("payments.account.bic")
    for key, message in account_problems(holder, iban, bic):
        raise doc.fail(f"payments.account.{key}", message)
    account = bank_account(holder, iban, bic)
    if doc.text("practice.currency", "EUR").upper() == "CHF" and account.country in ("CH", "LI"):
        from .payments.qr import swiss_address_problem

        if problem := swiss_address_problem(doc.text("practice.address")):  # the QR-bill's creditor
            raise doc.fail("practice.address", problem)
    return {"account_holder": account.holder, "iban": account.iban, "bic": account.bic}


def _google(doc: _Doc) -> GoogleSettings:
    if not isinstance(doc.raw("google"), Mapping):
        raise doc.fail("google", "must be a section with spreadsheet_id, credentials, ...")
    if not doc.text("google.spreadsheet_id"):
        raise doc.fail("google.spreadsheet_id", "is required for a Google Sheet (the long id in its address)")
    secrets = doc.text("google.client_secrets")
    return GoogleSettings(
        spreadsheet_id=doc.text("google.spreadsheet_id"),
        credentials=doc.file("google.credentials", "google-credentials.json"),
        client_secrets=doc.file("google.client_secrets", "") if secrets else None,
        docs_template=doc.text("google.docs_template"), drive_folder=doc.text("google.drive_folder"),
        impersonate=doc.text("google.impersonate"))


def _render(doc: _Doc) -> Render:
    engine = doc.choice("render.engine", "html", ("html", "docx", "gdocs"))
    default = {"html": "templates/invoice.html", "docx": "templates/invoice.docx", "gdocs": ""}[engine]
    return Render(engine, doc.file("render.template", default), doc.file("render.output", "invoices"))


def _email(doc: _Doc) -> Email:
    transport = doc.choice("email.transport", "outbox", ("outbox", "smtp", "gmail", "none"))
    sender = doc.text("email.from") or doc.text("practice.email")
    if transport != "none" and not re.search(r"[^@\s<]+@[^@\s>]+\.[^@\s>]+", sender):
        raise doc.fail("email.from", f"must be an email address, e.g. Practice <billing@example.com> (got '{sender}')")
    smtp = None
    if transport == "smtp":
        if not doc.text("email.smtp.host"):
            raise doc.fail("email.smtp.host", "is required when email.transport is smtp")
        security = doc.choice("email.smtp.security", "starttls", ("starttls", "ssl", "none"))
        smtp = Smtp(host=doc.text("email.smtp.host"),
                    port=doc.number("email.smtp.port", 465 if security == "ssl" else 587, minimum=1),
                    security=security, username=doc.text("email.smtp.username"),
                    password_env=_password_env(doc),
                    timeout_seconds=doc.number("email.smtp.timeout_seconds", 30, float, minimum=1))
    return Email(
        transport=transport, outbox=doc.file("email.outbox", "outbox"), sender=sender,
        reply_to=doc.text("email.reply_to"), bcc=doc.text("email.bcc"),
        subject_template=doc.file("email.subject_template", "templates/email/invoice_subject.txt"),
        body_template=doc.file("email.body_template", "templates/email/invoice_body.txt"), smtp=smtp)


def _password_env(doc: _Doc) -> str:
    name = doc.text("email.smtp.password_env", SMTP_PASSWORD_ENV)
    if not _ENV_NAME.fullmatch(name):  # the password itself, most likely: not repeated
        raise doc.fail("email.smtp.password_env", f"names the environment variable that holds the password "
                                                  f"(like {SMTP_PASSWORD_ENV}), not the password itself; "
                                                  "the password is never kept in the YAML")
    return name


def _reminder_days(doc: _Doc) -> tuple[int, ...]:
    days = doc.raw("reminders.days", [])
    if isinstance(days, int) and not isinstance(days, bool):
        days = [days]
    if not isinstance(days, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in days):
        raise doc.fail("reminders.days", f"must be a list of whole days after the due date, e.g. [7, 21, 45] (got {days!r})")
    return tuple(sorted(set(days)))


def _schedule(doc: _Doc) -> Schedule:
    every = doc.number("schedule.every_minutes", 10, float, minimum=0.1)
    at = doc.raw("schedule.daily_at")
    if isinstance(at, int) and not isinstance(at, bool) and 60 <= at < 24 * 60:  # 18:30 unquoted: 18 * 60 + 30
        raise doc.fail("schedule.daily_at", f'put the time in quotes, daily_at: "{at // 60}:{at % 60:02d}" '
                                            f"(without them YAML reads {at // 60}:{at % 60:02d} as a number)")
    at_text = doc.text("schedule.daily_at")
    daily = None
    if at_text:
        m = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", at_text)
        if not m:
            raise doc.fail("schedule.daily_at", f"must be a time like 18:30 (got '{at_text}')")
        daily = time(int(m[1]), int(m[2]))
    return Schedule(every, daily, doc.number("schedule.alert_after_failures", 3),
                    doc.number("schedule.alert_after_open_hours", 4, float))


def _tabs(doc: _Doc) -> tuple[Tab, ...]:
    names = doc.raw("tabs", {}) or {}
    headers = doc.raw("columns", {}) or {}
    if not isinstance(names, Mapping):
        raise doc.fail("tabs", "must map tab keys to names, e.g. sessions: Sitzungen")
    if not isinstance(headers, Mapping):
        raise doc.fail("columns", "must map tab keys to {field: header}")
    for key in list(names) + list(headers):
        if key not in FIELDS:
            raise doc.fail(f"tabs.{key}" if key in names else f"columns.{key}",
                           f"unknown tab '{key}' (one of {', '.join(FIELDS)})")
    for key, mapping in headers.items():
        if not isinstance(mapping, Mapping):
            raise doc.fail(f"columns.{key}", "must map fields to headers, e.g. status: Zustand")
        for fld in mapping:
            if fld not in FIELDS[key]:
                raise doc.fail(f"columns.{key}.{fld}", f"unknown column (one of {', '.join(sorted(FIELDS[key]))})")
    return tabs_with({k: str(v) for k, v in names.items()},
                     {k: {f: str(h) for f, h in v.items()} for k, v in headers.items()})
