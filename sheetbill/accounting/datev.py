"""DATEV "Buchungsstapel" in the EXTF format (format category 21, version 9).

Line 1 is the header record (consultant and client numbers, fiscal year
start, account length, the period); line 2 names the 116 columns; then one
booking per invoice or credit note and revenue account and tax code (debtor
to revenue, the gross amount; DATEV takes the tax out through the revenue
account or the BU-Schlüssel; reverse charge, intra-community supply and
outside the scope go to the chart's accounts for them, CATEGORY_ACCOUNTS,
unless the config names others) and one per payment and invoice it paid
(bank to debtor).
Belegfeld 1 is the invoice number, so DATEV's open items match payments to
invoices; a credit note's is the number of the invoice it voids (its own is
Belegfeld 2), so that the voided invoice is no longer open; a refund's is the
document its credit was booked under (`refunds`: the Payment ID that left it,
or the voided invoice), its own ID in Belegfeld 2, so that the credit closes; a
chargeback (a card payment the client's bank took back) is booked as a refund,
its Buchungstext "Rückbelastung". Windows-1252, semicolons, CRLF, amounts like 1234,50.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable

from ..core.number import ZERO, fmt
from .journal import CREDIT_NOTE, Journal, Received, Sale
from .mapping import Mapper, MappingProblem
from .settings import AccountingSettings, Datev, RateMapping
from .text import fit, one_line

ENCODING = "cp1252"
FORMAT_VERSION = 9

COLUMNS: tuple[str, ...] = (
    "Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz",
    "WKZ Basis-Umsatz", "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum",
    "Belegfeld 1", "Belegfeld 2", "Skonto", "Buchungstext", "Postensperre", "Diverse Adressnummer",
    "Geschäftspartnerbank", "Sachverhalt", "Zinssperre", "Beleglink",
    *(f"Beleginfo - {kind} {n}" for n in range(1, 9) for kind in ("Art", "Inhalt")),
    "KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "KOST-Menge", "EU-Land u. UStID", "EU-Steuersatz",
    "Abw. Versteuerungsart", "Sachverhalt L+L", "Funktionsergänzung L+L", "BU 49 Hauptfunktionstyp",
    "BU 49 Hauptfunktionsnummer", "BU 49 Funktionsergänzung",
    *(f"Zusatzinformation - {kind} {n}" for n in range(1, 21) for kind in ("Art", "Inhalt")),
    "Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr", "Zugeordnete Fälligkeit",
    "Skontotyp", "Auftragsnummer", "Buchungstyp", "USt-Schlüssel (Anzahlungen)",
    "EU-Land (Anzahlungen)", "Sachverhalt L+L (Anzahlungen)", "EU-Steuersatz (Anzahlungen)",
    "Erlöskonto (Anzahlungen)", "Herkunft-Kz", "Buchungs GUID", "KOST-Datum", "SEPA-Mandatsreferenz",
    "Skontosperre", "Gesellschaftername", "Beteiligtennummer", "Identifikationsnummer", "Zeichnernummer",
    "Postensperre bis", "Bezeichnung SoBil-Sachverhalt", "Kennzeichen SoBil-Buchung", "Festschreibung",
    "Leistungsdatum", "Datum Zuord. Steuerperiode", "Fälligkeit", "Generalumkehr (GU)", "Steuersatz", "Land",
)

# Field formats as DATEV publishes them: text fields are quoted and have a maximum length.
TEXT_LENGTH = {"Soll/Haben-Kennzeichen": 1, "WKZ Umsatz": 3, "BU-Schlüssel": 4, "Belegfeld 1": 36,
               "Belegfeld 2": 12, "Buchungstext": 60, "Beleginfo - Art 1": 20, "Beleginfo - Inhalt 1": 210,
               "Beleginfo - Art 2": 20, "Beleginfo - Inhalt 2": 210}
BELEGFELD_1 = re.compile(r"[A-Za-z0-9$&%*+\-/]{1,36}")

# Where payments go by Method, per chart of accounts (Kasse, Bank, Geldtransit).
PAYMENT_ACCOUNTS = {"03": {"Cash": "1000", "Bank transfer": "1200", "Card": "1360", "Other": "1360"},
                    "04": {"Cash": "1600", "Bank transfer": "1800", "Card": "1460", "Other": "1460"}}

# Revenue accounts by VAT category, per chart, where the config names none for the category:
# reverse charge in another EU country (§ 13b UStG), intra-community supply, outside the scope.
# Revenue DATEV reports in the Zusammenfassende Meldung, with the client's VAT ID on each booking.
EU_CATEGORIES = frozenset({"AE", "K"})

CATEGORY_ACCOUNTS = {"03": {"AE": "8336", "K": "8125", "O": "8338"},
                     "04": {"AE": "4336", "K": "4125", "O": "4338"}}


@dataclass(frozen=True)
class Booking:
    amount: Decimal  # positive
    debit: bool  # Soll (S) on Konto, else Haben (H)
    account: str  # Konto
    contra: str  # Gegenkonto
    tax_key: str  # BU-Schlüssel
    day: date  # Belegdatum
    document: str  # Belegfeld 1
    text: str  # Buchungstext
    client_id: str
    due: date | None = None
    own_number: str = ""  # Belegfeld 2: a credit note's own number (its Belegfeld 1 is the invoice it voids)
    eu_vat_id: str = ""  # EU-Land u. UStID: the client's VAT ID on reverse-charge and intra-community revenue


def file_name(journal: Journal) -> str:
    return f"EXTF_Buchungsstapel_{journal.date_from:%Y%m%d}_{journal.date_to:%Y%m%d}.csv"


class PeriodProblem(ValueError):
    """The period asked for cannot be one DATEV batch; str() says which --from/--to to give."""


def export(journal: Journal, settings: AccountingSettings) -> bytes:
    """PeriodProblem for a period across the fiscal year, else MappingProblem for what the config lacks."""
    datev = settings.datev
    _check_period(journal.date_from, journal.date_to, datev.fiscal_year_start)
    problems = _setup_problems(datev)
    mapper = Mapper(with_category_accounts(settings))
    bookings = [b for sale in journal.sales for b in _sale(sale, mapper, settings, datev)]
    bookings += [b for p in journal.payments for b in _payment(p, settings, datev)]
    try:
        mapper.check()
    except MappingProblem as exc:
        problems.append(str(exc))
    problems += _account_problems(bookings, datev)
    if problems:
        raise MappingProblem("; ".join(problems))
    lines = [_header(journal, datev), ";".join(_quote(c) for c in COLUMNS)]
    lines += [_row(b, journal.currency) for b in bookings]
    return fit("\r\n".join(lines) + "\r\n", ENCODING).encode(ENCODING)


def with_category_accounts(settings: AccountingSettings) -> AccountingSettings:
    """The settings with the chart's account for a VAT category the config gives no account."""
    categories = dict(settings.categories)
    for category, account in CATEGORY_ACCOUNTS[settings.datev.chart].items():
        mapped = categories.get(category, RateMapping())
        categories[category] = replace(mapped, account=mapped.account or account)
    return replace(settings, categories=categories)


def fiscal_year_start(day: date, start: tuple[int, int]) -> date:
    month, dom = start
    begin = date(day.year, month, dom)
    return begin if day >= begin else date(day.year - 1, month, dom)


def debtor_account(datev: Datev) -> str:
    return datev.debtor_account or "1" + "0" * datev.account_length


def document_number(number: str) -> str:
    """Belegfeld 1 allows letters, digits and $ & % * + - / only, at most 36."""
    return re.sub(r"[^A-Za-z0-9$&%*+\-/]", "-", number)[:36]


def _check_period(date_from: date, date_to: date, start: tuple[int, int]) -> None:
    """A batch lies within one fiscal year and one calendar year (Belegdatum is DDMM: DATEV takes
    the year from the batch's Datum vom/bis, so a batch from December to January would book
    January's documents a year early): a period across either is split there, each part named
    as the --from and --to that export it."""
    fiscal: list[date] = []
    day = fiscal_year_start(date_to, start)
    while day > date_from:
        fiscal.insert(0, day)
        day = fiscal_year_start(day - timedelta(days=1), start)
    new_years = [date(year, 1, 1) for year in range(date_from.year + 1, date_to.year + 1)]
    begins = sorted(set(fiscal) | set(new_years))
    if not begins:
        return
    parts = zip([date_from, *begins], [*(b - timedelta(days=1) for b in begins), date_to])
    split = ", then ".join(f"--from {a.isoformat()} --to {b.isoformat()}" for a, b in parts)
    reasons = []
    if fiscal:
        reasons.append(f"a DATEV batch holds one fiscal year at most, and {date_from} to {date_to} crosses the "
                       f"start of one on {fiscal[0]:%d.%m.%Y}")
    if set(new_years) - set(fiscal):
        reasons.append(f"{'it' if fiscal else 'a DATEV batch'} holds one calendar year at most (its Belegdatum has "
                       f"no year: DATEV takes the year from the batch)"
                       + ("" if fiscal else f", and {date_from} to {date_to} crosses into {new_years[0].year}"))
    raise PeriodProblem(f"{'; '.join(reasons)}: export each part on its own, {split}")


def _setup_problems(datev: Datev) -> list[str]:
    out = []
    if not datev.consultant:
        out.append("accounting.datev.consultant: the tax adviser's consultant number (Beraternummer) is needed")
    if not datev.client:
        out.append("accounting.datev.client: the practice's client number (Mandantennummer) is needed")
    return out


def _sale(sale: Sale, mapper: Mapper, settings: AccountingSettings, datev: Datev) -> list[Booking]:
    groups: dict[tuple[str, str], Decimal] = {}
    abroad: set[tuple[str, str]] = set()  # groups with revenue the Zusammenfassende Meldung reports
    for line in sale.lines:
        mapped = mapper.line(line, need_account=True)
        key = (mapped.account, mapped.tax_code)
        groups[key] = groups.get(key, ZERO) + line.net + line.tax
        if line.category in EU_CATEGORIES:
            abroad.add(key)
    vat_id = eu_vat_id(sale.customer.tax_id)
    # A credit note that voids an invoice is booked under that invoice's number, so that DATEV's open
    # items take the voided invoice off; its own number is Belegfeld 2 and leads the Buchungstext.
    voids = sale.kind == CREDIT_NOTE and bool(sale.credits)
    if voids:
        text = f"Gutschrift {sale.number} zu {sale.credits} {sale.customer.name}"
    else:
        text = f"{'Gutschrift' if sale.kind == CREDIT_NOTE else 'Rechnung'} {sale.customer.name}"
    document = document_number(sale.credits if voids else sale.number)
    own = document_number(sale.number) if voids else ""
    out = []
    for (account, tax_key), gross in groups.items():
        if gross == 0:
            continue
        out.append(Booking(abs(gross), gross > 0, debtor_account(datev), account, tax_key, sale.date,
                           document, text, sale.customer.client_id,
                           sale.due_date if sale.kind != CREDIT_NOTE else None,
                           own if len(own) <= TEXT_LENGTH["Belegfeld 2"] else "",
                           vat_id if (account, tax_key) in abroad else ""))
    return out


def eu_vat_id(tax_id: str) -> str:
    """A client's Tax ID as DATEV's EU-Land u. UStID takes it (`FR 40 303265045` -> `FR40303265045`);
    "" when it is not an EU VAT ID's shape."""
    compact = re.sub(r"[\s.\-]", "", tax_id).upper()
    return compact if re.fullmatch(r"[A-Z]{2}[A-Z0-9+*]{2,13}", compact) else ""


def _payment(p: Received, settings: AccountingSettings, datev: Datev) -> list[Booking]:
    defaults = PAYMENT_ACCOUNTS[datev.chart]
    account = settings.payment_accounts.get(p.method) or defaults.get(p.method, defaults["Other"])
    word = "Zahlung" if p.amount > 0 else "Rückbelastung" if p.chargeback else "Erstattung"
    text = f"{word} {p.payment_id} {p.customer.name}"
    if p.amount < 0 and p.repaid:
        # A refund is booked under the document its credit was booked under (the payment that left it
        # over, or the invoice a void took it off), so that DATEV's open items close that credit; the
        # refund's own ID is Belegfeld 2 and in the Buchungstext.
        own = document_number(p.payment_id)
        return [Booking(-a.amount, False, account, debtor_account(datev), "", p.date,
                        document_number(a.invoice_no or p.payment_id), text, p.customer.client_id,
                        own_number=own if a.invoice_no and len(own) <= TEXT_LENGTH["Belegfeld 2"] else "")
                for a in p.repaid if a.amount != 0]
    return [Booking(abs(amount), amount > 0, account, debtor_account(datev), "", p.date,
                    document_number(invoice_no or p.payment_id), text, p.customer.client_id)
            for invoice_no, amount in p.parts() if amount != 0]


def _account_problems(bookings: Iterable[Booking], datev: Datev) -> list[str]:
    out = []
    for b in bookings:
        if b.tax_key and not re.fullmatch(r"\d{1,4}", b.tax_key):
            msg = f"tax code '{b.tax_key}' is not a DATEV BU-Schlüssel (1 to 4 digits, e.g. 9 for 19 %)"
            if msg not in out:
                out.append(msg)
        for acc in (b.account, b.contra):
            if not acc.isdigit() or len(acc) > datev.account_length + 1:
                msg = (f"account '{acc}' is not a DATEV account of at most {datev.account_length} digits "
                       f"(or {datev.account_length + 1} for a debtor)")
                if msg not in out:
                    out.append(msg)
    return out


def _header(journal: Journal, datev: Datev) -> str:
    begin = fiscal_year_start(journal.date_from, datev.fiscal_year_start)
    label = f"Rechnungen {journal.date_from:%d.%m.}-{journal.date_to:%d.%m.%Y}"
    fields = [
        _quote("EXTF"), "700", "21", _quote("Buchungsstapel"), str(FORMAT_VERSION),
        f"{journal.date_to:%Y%m%d}000000000",  # Erzeugt am: fixed by the period, so a re-export is identical
        "", _quote("SB"), _quote(""), _quote(""),
        str(datev.consultant), str(datev.client), f"{begin:%Y%m%d}", str(datev.account_length),
        f"{journal.date_from:%Y%m%d}", f"{journal.date_to:%Y%m%d}", _quote(label[:30]), _quote(""),
        "1", "0", "0", _quote(journal.currency), "", _quote(""), "", "", _quote(datev.chart), "", "", _quote(""),
        _quote(""),
    ]
    return ";".join(fields)


def _row(b: Booking, currency: str) -> str:
    values = {
        "Umsatz (ohne Soll/Haben-Kz)": _amount(b.amount), "Soll/Haben-Kennzeichen": _quote("S" if b.debit else "H"),
        "WKZ Umsatz": _quote(currency), "Konto": b.account, "Gegenkonto (ohne BU-Schlüssel)": b.contra,
        "BU-Schlüssel": _quote(b.tax_key, 4) if b.tax_key else "", "Belegdatum": f"{b.day:%d%m}",
        "Belegfeld 1": _quote(b.document, 36), "Belegfeld 2": _quote(b.own_number, 12) if b.own_number else "",
        "Buchungstext": _quote(one_line(b.text), 60),
        "Beleginfo - Art 1": _quote("Kunde") if b.client_id else "",
        "Beleginfo - Inhalt 1": _quote(b.client_id, 210) if b.client_id else "",
        "Fälligkeit": f"{b.due:%d%m%Y}" if b.due else "",
        "EU-Land u. UStID": _quote(b.eu_vat_id, 15) if b.eu_vat_id else "",
    }
    return ";".join(values.get(c, "") for c in COLUMNS)


def _amount(value: Decimal) -> str:
    return fmt(value).replace(".", ",")


def _quote(text: str, length: int | None = None) -> str:
    text = fit(text, ENCODING)
    if length is not None:
        text = text[:length]
    return '"' + text.replace('"', '""') + '"'
