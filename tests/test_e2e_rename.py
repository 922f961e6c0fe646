"""A client renamed in Clients keeps every payment made under the old name, on a real workbook."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sheetbill import commands

from .conftest import session
from .test_e2e_account import body, emails_about, flat, invoice_pdf
from .test_e2e_audit import audit
from .test_e2e_excel import pdf_text
from .test_e2e_payments import by, money, payment

OK = ["OK: changelog chain intact, series gapless, ledger adds up, projections match"]


def test_a_renamed_client_keeps_the_payments_that_named_her_by_name(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 18)), session("S-00002", date(2026, 11, 19)))
    practice.run()  # INV-2026-0001 and -0002, 65.00 each
    practice.append("Payments", payment("P-00001", date(2026, 11, 20), client="Anna Meier", amount="100",
                                        method="Bank transfer"))
    practice.run()
    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Applied To"] == \
        "INV-2026-0001 65.00; INV-2026-0002 35.00"
    practice.set("Clients", "C-001", "Name", "Anna Meier-Schulz")  # she married
    practice.run()
    practice.append("Sessions", session("S-00003", date(2026, 11, 21)))
    assert practice.run().created == ["INV-2026-0003"]

    # the new invoice and its email ask for what is really open: 130.00 - 100.00 + 65.00
    assert money(by(practice.rows("Clients"), "Client ID")["C-001"]["Balance"]) == Decimal("95.00")
    assert "Previous balance 30.00 EUR Total now due 95.00 EUR" in invoice_pdf(practice, "INV-2026-0003")
    mail, = [m for m in emails_about(practice, "Invoice") if "INV-2026-0003" in m["Subject"]]
    assert "open balance of 30.00 EUR from earlier invoices, 95.00 EUR is now due" in body(mail)

    # the statement shows the payment, and the paid invoice re-rendered says PAID
    stored, _ = commands.statement(practice.worker(), "C-001", date(2026, 11, 1), date(2026, 11, 21), email=False)
    assert stored is not None and stored.path is not None
    statement = flat(pdf_text(stored.path))
    assert "20 Nov 2026 Payment of 100.00 EUR received, thank you" in statement
    assert "INVOICED PAID CLOSING BALANCE BALANCE DUE 0.00 EUR 195.00 EUR 100.00 EUR 95.00 EUR 95.00 EUR" in statement
    copy, _ = commands.invoice_copy(practice.worker(), "INV-2026-0001", email=False)
    assert copy is not None and copy.path is not None
    text = flat(pdf_text(copy.path))
    assert "PAID — thank you" in text and "Please pay" not in text

    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Problem"] is None
    assert audit(practice, capsys) == (0, OK)


def test_a_credit_payment_whose_client_name_is_gone_says_so_on_its_row(practice, capsys):
    practice.append("Payments", payment("P-00001", date(2026, 11, 20), client="Anna Meier", amount="50",
                                        method="Cash"))
    practice.run()  # nothing open: all of it is Anna's credit
    assert money(by(practice.rows("Clients"), "Client ID")["C-001"]["Credit"]) == Decimal("50.00")
    practice.set("Clients", "C-001", "Name", "Anna Meier-Schulz")
    practice.run()
    problem = by(practice.rows("Payments"), "Payment ID")["P-00001"]["Problem"]
    assert "Client 'Anna Meier' of this applied payment is not in Clients" in problem
    assert "put the Client ID in Client" in problem
    code, lines = audit(practice, capsys)
    assert code == 1 and any(line.startswith("Payment P-00001 is applied but no client's account counts it")
                             for line in lines)
    practice.set("Payments", "P-00001", "Client", "C-001")  # as the Problem says
    practice.run()
    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Problem"] is None
    assert money(by(practice.rows("Clients"), "Client ID")["C-001"]["Credit"]) == Decimal("50.00")
