"""`make demo`: a fresh example practice with a month of sessions, billed once.

Builds DIR (default demo-output/) from scratch with `sheetbill init`, fills
Clients and Sessions with a realistic month ending yesterday, runs one
cycle, and prints where the workbook, the PDFs and the emails are.
"""

from __future__ import annotations

import random
from decimal import Decimal
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

from openpyxl import load_workbook

from . import app, commands
from . import config as config_mod
from . import demo_einvoice, demo_vat
from .placeholders import fill_example

CLIENTS = (
    ("C-001", "Anna Meier", "anna.meier@example.com", "Gartenweg 3\n10115 Berlin", "", 14, "", ""),
    ("C-002", "Jonas Becker", "jonas.becker@example.com", "Hauptstraße 88\n10827 Berlin", "10%", 14, "", ""),
    ("C-003", "Sofia Rossi", "sofia.rossi@example.com", "Via Roma 12\n00184 Roma", "", 30, "daily", "IT01234567890"),
    ("C-004", "Mehmet Yılmaz", "m.yilmaz@example.com", "Kottbusser Damm 5\n10967 Berlin", "", 14, "", ""),
    ("C-005", "Claire Dubois", "claire.dubois@example.com", "12 rue des Lilas\n75011 Paris", "", 14, "", ""),
    ("C-006", "Lena Wagner", "lena.wagner@example.com", "Am Park 7\n14467 Potsdam", "5.00", 21, "", ""),
    ("C-007", "Piotr Nowak", "", "ul. Długa 4\n00-238 Warszawa", "", 14, "", ""),
    ("C-008", "Health Insurance Nord AG", "billing@hi-nord.example", "Postfach 1200\n20095 Hamburg", "", 30, "daily", "DE811223344"),
)

INSURED = ("C-009", "Emma Stone", "emma.stone@example.com", "Torstraße 140\n10119 Berlin", "", 14, "", "")
LANGUAGES = {"C-005": "fr_FR", "C-002": "de_DE", "C-010": "fr_FR", "C-011": "de_DE"}
INSURANCE = ["Yes", date(1984, 3, 12), "Cigna Global", "U48213377", "GRP-20417", "Self"]
INSURANCE_CONFIG = (('npi: ""', 'npi: "1649382714"'), ('ein: ""', 'ein: "98-7654321"'), (
    "providers: {}", 'providers: {Maria: {name: Maria Keller, credentials: PT, npi: "1245319599"}, '
                     'Tom: {name: Tom Berger, credentials: "PT, DPT", npi: "1765432103"}}'))
DEMO_ACCOUNTING = """
accounting:                             # the demo's tax adviser books with DATEV, SKR03
  rates:
    0: {account: "8100"}                # tax-free therapy (§ 4 Nr. 14 UStG)
    19: {account: "8400"}               # gel and bandages at 19 %
  datev: {consultant: 1234567, client: 10001, fiscal_year_start: "01-01", account_length: 4, chart: SKR03}
"""
# The same practice as a Xero organisation would name its accounts and tax rates (for the xero file).
XERO_RATES = {Decimal(0): ("200", "Tax Exempt"), Decimal(19): ("200", "USt 19%")}

PLAN = (("LD60", ""), ("LD60", "BANDAGE x2"), ("LD45", ""), ("LD30", "GEL"), ("LD60", "BANDAGE x2, GEL"))


def build(folder: Path, today: date, seed: int = 7) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    workbook, config_path = app.init_practice(folder, insurance=True)
    config = config_mod.load(config_path)
    text = config_path.read_text(encoding="utf-8").replace('no_show_service: ""', "no_show_service: NOSHOW")
    text = fill_example(text)  # the demo practice's own details instead of init's placeholders
    for old, new in INSURANCE_CONFIG:
        text = text.replace(old, new)
    config_path.write_text(text + DEMO_ACCOUNTING + demo_vat.CONFIG, encoding="utf-8")
    wb = load_workbook(workbook)
    tabs = {t.key: t for t in config.tabs}
    clients = wb[tabs["clients"].name]
    for row in CLIENTS:
        clients.append(list(row) + [None, None])
    services = wb[tabs["services"].name]
    services.append(["LD60", "Manual lymph drainage, 60 min", "68.00", "0%", "session",
                     (today - timedelta(days=10)).isoformat(), "Yes"])  # a price rise mid-month
    sessions = wb[tabs["sessions"].name]
    rng = random.Random(seed)
    n = 0
    for offset in range(30, -4, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(1, 3)):
            n += 1
            client = rng.choice(CLIENTS[:6] + CLIENTS[7:]) if n != 5 else CLIENTS[6]
            service, extras = rng.choice(PLAN)
            if offset < 0:
                status = "Scheduled"
            else:
                status = rng.choices(["Completed", "Cancelled", "No-show"], [14, 1, 1])[0]
            ref = client[1] if n % 4 == 0 else client[0]
            sessions.append([f"S-{n:05d}", day, ref, service, 1, extras or None, None,
                             rng.choice(["Maria", "Tom"]), status, None])
    sessions.append([None, today - timedelta(days=2), "C-001", "MASSAGE", 1, None, None, "Tom", "Completed",
                     "typed on the phone: no ID yet"])
    paid_at_desk = next(r for r in sessions.iter_rows(min_row=2, values_only=True)
                        if r[8] == "Completed" and r[2] in ("C-002", "Jonas Becker"))
    payments = wb[tabs["payments"].name]
    payments.append([None, paid_at_desk[1], None, paid_at_desk[0], Decimal("58.50"), "Cash", "paid at the desk"])
    payments.append([None, today - timedelta(days=1), "Anna Meier", None, Decimal("250.00"), "Bank transfer",
                     "transfer ref 4471"])
    payments.append([None, today - timedelta(days=1), "C-005", None, Decimal("40.00"), "Card", "terminal 2"])
    payments.append([None, today - timedelta(days=1), "C-004", None, Decimal("20.00"), "Paypal", "typo in Method"])
    _insured_client(wb, tabs, today)
    demo_vat.apply(wb, tabs, today)
    demo_einvoice.apply(wb, tabs, today)
    _languages(wb[tabs["clients"].name], tabs["clients"].column("language").header)
    cash = wb[tabs["cash"].name]
    cash.append([paid_at_desk[1], Decimal("150.00"), Decimal("208.50")])
    wb.save(workbook)
    return config_path


def _languages(clients, header: str) -> None:
    """The optional Language column, as an admin adds it: Claire Dubois in Paris and the
    business client in Lyon read French, Jonas Becker and the Berlin district office German;
    everyone else gets the default (English)."""
    column = clients.max_column + 1
    clients.cell(row=1, column=column).value = header
    for row in clients.iter_rows(min_row=2):
        language = LANGUAGES.get(str(row[0].value))
        if language:
            clients.cell(row=row[0].row, column=column).value = language


def _insured_client(wb, tabs, today: date) -> None:
    """A client who claims from her insurer: last month's sessions coded (a superbill goes out
    this month), one paid; this month's newest session lacks its diagnosis (a Problem)."""
    wb[tabs["clients"].name].append(list(INSURED) + [None, None] + INSURANCE)
    wb[tabs["services"].name].append(["MLD15", "Manual lymph drainage, per 15 min", "16.50", "0%", "15 min",
                                      date(2026, 1, 1).isoformat(), "Yes", "97140", "GP"])
    last_month = today.replace(day=1) - timedelta(days=1)
    sessions = wb[tabs["sessions"].name]
    days: list[tuple[date, str | None, str]] = [(last_month.replace(day=d), "I97.2, Z85.3", "Maria") for d in (6, 13, 20)]
    days += [(last_month.replace(day=27), "I97.2, I89.0, Z85.3", "Tom"), (today - timedelta(days=1), None, "Maria")]
    for n, (day, diagnosis, provider) in enumerate(days, start=1):
        sessions.append([f"S-9{n:04d}", day, INSURED[0], "MLD15", 4, None, None, provider, "Completed", None,
                         None, None, None, diagnosis, "11"])
    wb[tabs["payments"].name].append([None, last_month.replace(day=8), INSURED[0], None, Decimal("66.00"), "Card",
                                      "terminal 1"])


def exports(config, today: date) -> list[str]:
    """The demo month in every export format, into exports/ beside the config."""
    from dataclasses import replace

    from .accounting.settings import RateMapping

    start = max(today - timedelta(days=31), date(today.year, 1, 1))
    xero = replace(config, accounting=replace(config.accounting, rates={
        rate: RateMapping(account, tax) for rate, (account, tax) in XERO_RATES.items()}))
    out = []
    for fmt in ("datev", "xero", "quickbooks", "iif", "csv"):
        paths, notes = app.export_accounts(xero if fmt == "xero" else config, fmt, start, today)
        out += [f"Export {fmt}: {p}" for p in paths] + [f"  note: {n}" for n in notes]
    return out


def bank_statement(folder: Path, config) -> None:
    """The bank's statement of the next morning, imported, and the cycle that applies what it matched."""
    from .payments.sample import demo_statement

    worker = app.worker_for(config)
    _, ledger, cycle = commands.plan(worker)
    path = folder / "bank" / "statement-camt053.xml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(demo_statement(cycle.invoices, ledger.clients, config.practice.iban, date.today()))
    result = commands.import_bank(worker, path)
    print(f"\nBank statement imported: {result.line()}")
    for m in result.matches:
        print(f"  {m.entry.amount:>8} {m.entry.counterparty:<24} " + (f"-> {m.matched_to} ({m.rule})" if m.matched_to
                                                                      else "stays in the Bank tab for a person"))
    slips = admin_slips(config.workbook)
    print(f"Meanwhile the admin {slips}")
    report = worker.run_once()
    print(f"Next cycle: {report.line()}")
    for line in report.for_a_person():
        print(f"  {line}")
    print("Invoices carry an RF reference and an EPC QR code for what is still open (payments.account)")
    print("Card payments and AutoPay: uncomment payments.stripe in the config and set STRIPE_SECRET_KEY")
    print("  (AutoPay = Yes on a client without a Stripe Customer: one email with a link to save a card)")


def admin_slips(workbook: Path) -> str:
    """Two things an admin may do in the workbook that sheetbill does not take (core.protect):
    a sent invoice's Total typed over, and an invoice of her own typed into the Invoices tab.
    The next cycle undoes both and says so; what they held stays in the Changelog."""
    wb = load_workbook(workbook)
    ws = wb["Invoices"]
    header = [c.value for c in ws[1]]
    sent = ws[2]
    sent[header.index("Total")].value = 1
    last = str(ws.cell(row=ws.max_row, column=1).value)
    prefix, number = last.rsplit("-", 1)
    typed = f"{prefix}-{int(number) + 1:0{len(number)}d}"
    ws.append([typed, date.today(), date.today() + timedelta(days=14), sent[header.index("Client ID")].value,
               sent[header.index("Client Name")].value, None, 50, 0, 50, 0, 50, "Finalized"])
    wb.save(workbook)
    return (f"typed 1 over the Total of {sent[0].value}, already sent, and wrote an invoice of her own "
            f"({typed}) into the Invoices tab")


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "demo-output").resolve()
    config_path = build(folder, date.today())
    config = config_mod.load(config_path)
    report = app.worker_for(config).run_once()
    print(report.line())
    for p in report.problems:
        print(f"  problem on {p.tab} row {p.row}: {p.message}")
    for line in report.for_a_person():
        print(f"  {line}")
    for e in report.errors:
        print(f"  error: {e}")
    bank_statement(folder, config)
    print()
    for line in exports(config, date.today()):
        print(line)
    print(f"\nWorkbook: {config.workbook}\nPDFs:     {config.render.output}/\n"
          f"Emails:   {config.email.outbox}/ (.eml files, open them in any mail program)\n"
          f"Exports:  {config_path.parent / 'exports'}/ (one file per accounting format)\n"
          f"Config:   {config_path}\nRun again: .venv/bin/sheetbill run --config {config_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
