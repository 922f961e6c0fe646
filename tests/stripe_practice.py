"""A practice with `payments.stripe` on, talking to the fake Stripe (tests/fakestripe)."""

from __future__ import annotations

import openpyxl

STRIPE = "payments:\n  stripe:\n    secret_key_env: SHEETBILL_TEST_STRIPE_KEY\n    autopay_hour: 3\n  account:"


def with_stripe(practice, autopay: dict[str, str] | None = None) -> None:
    """Stripe on in the config, a Pay Link column in Invoices, AutoPay columns in Clients
    (`autopay`: client -> Stripe customer, AutoPay Yes; "" for no customer yet: no card saved)."""
    practice.configure("payments:\n  account:", STRIPE)
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Invoices"]
    ws.cell(row=1, column=ws.max_column + 1).value = "Pay Link"
    ws = wb["Clients"]
    col = ws.max_column + 1
    ws.cell(row=1, column=col).value = "AutoPay"
    ws.cell(row=1, column=col + 1).value = "Stripe Customer"
    for row in ws.iter_rows(min_row=2):
        customer = (autopay or {}).get(row[0].value)
        if customer is not None:
            ws.cell(row=row[0].row, column=col).value = "Yes"
            ws.cell(row=row[0].row, column=col + 1).value = customer or None
    wb.save(practice.workbook)
