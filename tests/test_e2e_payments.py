"""Payments, credit, time-of-session billing and the cash register on a real workbook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .conftest import session


def by(rows, key):
    return {r[key]: r for r in rows}


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None


def payment(pid, day, client=None, invoice=None, amount="0", method="Card", reference=None):
    return [pid, day, client, invoice, Decimal(amount), method, reference]


def test_partial_then_full_payment_and_overpayment_credit(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3)))
    practice.run()  # INV-2026-0001 and -0002, 65.00 each
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="40"))
    practice.run()
    inv = by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]
    assert (money(inv["Paid"]), money(inv["Balance"]), inv["Status"]) == (Decimal("40.00"), Decimal("25.00"), "Partially Paid")
    pay = by(practice.rows("Payments"), "Payment ID")["P-00001"]
    assert pay["Applied To"] == "INV-2026-0001 40.00" and pay["Receipt No"] == "RCPT-2026-0001"
    client = by(practice.rows("Clients"), "Client ID")["C-001"]
    assert money(client["Balance"]) == Decimal("90.00") and money(client["Credit"]) == Decimal("0.00")
    assert by(practice.rows("Sessions"), "Session ID")["S-00001"]["Billing Status"] == "Partially Paid"

    # a client-only payment goes to the oldest open invoices; the rest becomes credit
    practice.append("Payments", payment("P-00002", date(2026, 11, 12), client="Anna Meier", amount="100",
                                        method="bank transfer"))
    practice.run()
    invoices = by(practice.rows("Invoices"), "Invoice No")
    assert [invoices[n]["Status"] for n in ("INV-2026-0001", "INV-2026-0002")] == ["Paid", "Paid"]
    pay = by(practice.rows("Payments"), "Payment ID")["P-00002"]
    assert pay["Applied To"] == "INV-2026-0001 25.00; INV-2026-0002 65.00; Credit 10.00"
    assert pay["Method"] == "Bank transfer" and pay["Receipt No"] == "RCPT-2026-0002"
    assert money(by(practice.rows("Clients"), "Client ID")["C-001"]["Credit"]) == Decimal("10.00")
    assert {s["Billing Status"] for s in practice.rows("Sessions")} == {"Paid"}

    # the credit pays part of the next invoice
    practice.append("Sessions", session("S-00003", date(2026, 11, 20)))
    practice.run()
    new = by(practice.rows("Invoices"), "Invoice No")["INV-2026-0003"]
    assert (money(new["Paid"]), money(new["Balance"]), new["Status"]) == (Decimal("10.00"), Decimal("55.00"), "Partially Paid")
    assert by(practice.rows("Payments"), "Payment ID")["P-00002"]["Applied To"].endswith("INV-2026-0003 10.00")
    assert money(by(practice.rows("Clients"), "Client ID")["C-001"]["Credit"]) == Decimal("0.00")


def test_time_of_session_billing(practice):
    """Paid at the desk: the session's invoice is made and settled in the same run."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 21)))
    practice.append("Payments", payment(None, date(2026, 11, 21), invoice="S-00001", amount="65", method="Cash"))
    report = practice.run()
    assert report.created == ["INV-2026-0001"]
    inv, = practice.rows("Invoices")
    assert inv["Status"] == "Paid" and money(inv["Balance"]) == Decimal("0.00")
    pay, = practice.rows("Payments")
    assert pay["Payment ID"] == "P-00001" and pay["Applied To"] == "INV-2026-0001 65.00"


def test_bad_payment_rows_get_a_problem_and_are_not_applied(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.append("Payments",
                    payment("P-00001", date(2026, 11, 10), invoice="INV-2099-0001", amount="10"),
                    payment("P-00002", date(2026, 11, 10), client="Bob", amount="10"),
                    payment("P-00003", date(2026, 11, 10), invoice="INV-2026-0001", amount="-5"),
                    ["P-00004", date(2026, 11, 10), None, "INV-2026-0001", "ten", "Card", None],
                    payment("P-00005", date(2026, 11, 10), invoice="INV-2026-0001", amount="10", method="Paypal"))
    practice.run()
    rows = by(practice.rows("Payments"), "Payment ID")
    assert "INV-2099-0001" in rows["P-00001"]["Problem"]
    assert "Unknown client 'Bob'" in rows["P-00002"]["Problem"]
    assert rows["P-00003"]["Problem"] and rows["P-00004"]["Problem"]
    assert "Unknown Method 'Paypal'" in rows["P-00005"]["Problem"]
    assert all(r["Applied To"] is None and r["Receipt No"] is None for r in rows.values())
    inv, = practice.rows("Invoices")
    assert money(inv["Paid"]) == Decimal("0.00") and inv["Status"] == "Finalized"


def test_a_payment_dated_a_year_early_is_held_naming_the_date_it_likely_is(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.append("Payments", payment("P-00001", date(2025, 11, 20), client="C-001", amount="65"),
                    payment("P-00002", date(2026, 9, 1), client="C-002", amount="50"))  # paid ahead: a deposit
    report = practice.run()
    rows = by(practice.rows("Payments"), "Payment ID")
    assert rows["P-00001"]["Problem"] == (
        "Date 2025-11-20 is 347 days before client C-001's first session S-00001 (2026-11-02): likely a typo; if "
        "it is 2026-11-20, correct the year. If it is right (paid that far ahead), raise limits.prepayment_days "
        "in the config and the next run goes on")
    assert [p.key for p in report.problems] == ["P-00001"]
    assert (rows["P-00001"]["Applied To"], rows["P-00001"]["Receipt No"]) == (None, None)
    assert rows["P-00002"]["Applied To"] == "Credit 50.00" and rows["P-00002"]["Problem"] is None
    assert [m["Subject"].split()[1] for m in practice.emails() if "Receipt" in m["Subject"]] == ["RCPT-2026-0001"]
    practice.set("Payments", "P-00001", "Date", date(2026, 11, 20))
    practice.run()
    fixed = by(practice.rows("Payments"), "Payment ID")["P-00001"]
    assert (fixed["Applied To"], fixed["Problem"]) == ("INV-2026-0001 65.00", None)


def test_daily_cash_register(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 19)), session("S-00002", date(2026, 11, 19)),
                    session("S-00003", date(2026, 11, 20)))
    practice.run()
    practice.append("Payments",
                    payment("P-00001", date(2026, 11, 19), invoice="INV-2026-0001", amount="65", method="Cash"),
                    payment("P-00002", date(2026, 11, 19), invoice="INV-2026-0002", amount="65", method="Card"),
                    payment("P-00003", date(2026, 11, 20), invoice="INV-2026-0003", amount="65", method="Cash"))
    practice.append("Cash", [date(2026, 11, 19), Decimal("100"), Decimal("160")],
                    [date(2026, 11, 20), None, None])
    practice.run()
    days = practice.rows("Cash")
    first, second = days
    assert (money(first["Cash In"]), money(first["Expected"]), money(first["Variance"]), first["Status"]) == (
        Decimal("65.00"), Decimal("165.00"), Decimal("-5.00"), "Short")
    assert (money(second["Cash In"]), money(second["Expected"]), second["Status"]) == (
        Decimal("65.00"), Decimal("225.00"), "Open")  # opens with the 19th's Counted 160
    practice.set("Cash", second["Date"], "Counted", Decimal("225"))
    practice.run()
    assert practice.rows("Cash")[1]["Status"] == "Balanced"


def test_cash_taken_at_the_desk_for_a_daily_invoice_is_in_that_days_drawer(practice):
    """Sofia Rossi is billed daily: her session of today is invoiced once the day is over. The cash
    she paid for it at the desk is in the drawer tonight, and the drawer counted so is Balanced,
    not Over by her payment until tomorrow's run."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 21), client="C-003"))
    practice.append("Payments", payment("P-00001", date(2026, 11, 21), invoice="S-00001", amount="65", method="Cash"))
    practice.append("Cash", [date(2026, 11, 21), Decimal("100"), Decimal("165")])
    practice.run()
    assert "not invoiced yet" in practice.rows("Payments")[0]["Problem"]
    day, = practice.rows("Cash")
    assert (money(day["Cash In"]), money(day["Expected"]), money(day["Variance"]), day["Status"]) == (
        Decimal("65.00"), Decimal("165.00"), Decimal("0.00"), "Balanced")


def test_each_payment_gets_one_receipt_by_email(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run()
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="65"))
    practice.run()
    practice.run()
    pay, = practice.rows("Payments")
    assert pay["Receipt Sent At"].startswith("2026-11-21T09:30")
    receipts = [m for m in practice.emails() if "RCPT-2026-0001" in m["Subject"]]
    assert len(receipts) == 1 and receipts[0]["To"].addresses[0].addr_spec == "anna@example.com"
    attachment, = list(receipts[0].iter_attachments())
    assert attachment.get_filename() == "RCPT-2026-0001.pdf"
    assert (practice.folder / "invoices" / "RCPT-2026-0001.pdf").read_bytes() == attachment.get_content()


def test_overdue_invoices_get_each_reminder_once(practice, clock):
    from datetime import timedelta

    practice.append("Sessions", session("S-00001", date(2026, 11, 2)), session("S-00002", date(2026, 11, 3), client="C-002"))
    practice.run(clock)  # due 14 and 30 days later
    practice.set("Clients", "C-002", "Email", "jonas@example.com")
    import openpyxl
    wb = openpyxl.load_workbook(practice.workbook)
    wb["Clients"].cell(row=1, column=11).value = "Reminders"
    wb["Clients"].cell(row=3, column=11).value = "No"  # Jonas: never remind
    wb.save(practice.workbook)

    def reminders():
        return [m for m in practice.emails() if "eminder" in m["Subject"]]

    clock.current += timedelta(days=14 + 8)  # 8 days overdue: the first reminder
    practice.run(clock)
    practice.run(clock)
    assert [m["To"].addresses[0].addr_spec for m in reminders()] == ["anna@example.com"]
    clock.current += timedelta(days=60)  # past the 2nd and the 3rd: only the final one goes
    practice.run(clock)
    practice.run(clock)
    assert len(reminders()) == 2
    log = [r for r in practice.rows("Changelog") if r["Action"] == "remind"]
    assert [(r["Key"], r["After"]) for r in log] == [("INV-2026-0001", "1"), ("INV-2026-0001", "3")]


def test_the_next_invoice_shows_the_balance_carried_forward(practice, clock):
    from datetime import timedelta

    from .test_e2e_excel import pdf_text

    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run(clock)
    practice.append("Payments", payment("P-00001", date(2026, 11, 20), invoice="INV-2026-0001", amount="15"))
    practice.append("Sessions", session("S-00002", date(2026, 11, 21)))
    clock.current += timedelta(days=1)
    practice.run(clock)
    text = pdf_text(practice.folder / "invoices" / "INV-2026-0002.pdf")
    assert "Previous balance" in text and "50.00" in text  # 65.00 - 15.00 still open
    assert "115.00" in text  # total now due: 65.00 + 50.00
