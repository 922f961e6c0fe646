"""How long the bank import takes to match a statement's credits on a large practice.

    .venv/bin/python bench/bank_match.py [--invoices 100000] [--entries 100]

N invoices (`INV-2026-000000`..., two in three open at 65.00, the rest paid) of 500
clients, and M credits of 65.00 each quoting one invoice's number in its text. Times
(CPU) setting up what the entries are looked for in (`Quotable`) apart, then
`match_entries` as the import runs it, setup included. Then, on a line of its own, M
credits that quote no number, found by amount and name (each fits several invoices).
Last line, for scripts: {"bench": "bank_match", "invoices": N, "entries": M, "seconds": ...}
("seconds" is `match_entries`'s CPU time).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sheetbill.core.model import Client, Invoice, InvoiceStatus  # noqa: E402
from sheetbill.payments.entries import BankEntry  # noqa: E402
from sheetbill.payments.matching import match_entries  # noqa: E402
from sheetbill.payments.open_amount import open_amount  # noqa: E402
from sheetbill.payments.quoted import Quotable  # noqa: E402

CLIENTS = 500


def invoice(no: str, client_id: str, balance: str, status: str) -> Invoice:
    b = Decimal(balance)
    return Invoice(no, date(2026, 11, 1), date(2026, 11, 15), client_id, "", (), b, Decimal(0), b, Decimal(0), b,
                   InvoiceStatus(status))


def client(cid: str, name: str) -> Client:
    return Client(row=2, client_id=cid, name=name, email="", address="", discount=None, terms_days=None,
                  invoice_mode=None, tax_id="")


def entry(amount: str, party: str, text: str) -> BankEntry:
    return BankEntry(date(2026, 11, 21), Decimal(amount), "EUR", party, text, "", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=100)
    args = parser.parse_args()
    n, m = args.invoices, args.entries
    invoices = [invoice(f"INV-2026-{i:06d}", f"C-{i % CLIENTS:04d}", "65.00", "Finalized" if i % 3 else "Paid")
                for i in range(n)]
    clients = [client(f"C-{i:04d}", f"Client {i}") for i in range(CLIENTS)]
    entries = [entry("65.00", f"Client {i}", f"Rechnung INV-2026-{i * 7 % n:06d} danke") for i in range(m)]
    open_numbers = {i.invoice_no for i in invoices if open_amount(i) > 0}

    started = time.process_time()
    Quotable(invoices, clients, open_numbers)
    setup = time.process_time() - started
    started = time.process_time()
    matches = match_entries(entries, invoices, clients, open_amount, "EUR")
    seconds = time.process_time() - started
    matched = sum(1 for x in matches if x.invoice_no)
    print(f"{n:,} invoices, {m} credits: Quotable set up in {setup:.3f} s; match_entries {seconds:.3f} s CPU "
          f"({seconds / max(m, 1) * 1000:.2f} ms a credit, setup included); {matched} of {len(matches)} matched")
    unquoted = [entry("65.00", f"Client {i}", "Behandlung") for i in range(m)]
    started = time.process_time()
    fits = sum(1 for x in match_entries(unquoted, invoices, clients, open_amount, "EUR") if "fits" in x.problem)
    by_name = time.process_time() - started
    print(f"{m} credits quoting no number: match_entries {by_name:.3f} s CPU ({fits} fit several invoices)")
    print(json.dumps({"bench": "bank_match", "invoices": n, "entries": m, "seconds": round(seconds, 3)}))


if __name__ == "__main__":
    main()
