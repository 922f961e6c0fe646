"""Receipt numbers on a real workbook: a receipted payment deleted by hand is put back, so its
number is never given to another payment, and each new payment gets its own receipt, made and sent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as M

import openpyxl
import pytest

from sheetbill import app

from .conftest import session


def _delete_payment(practice, payment_id: str) -> None:
    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Payments"]
    for r in ws.iter_rows(min_row=2):
        if r[0].value == payment_id:
            ws.delete_rows(r[0].row, 1)
            break
    else:
        raise KeyError(payment_id)
    wb.save(practice.workbook)


def _receipts(practice) -> dict[str, str]:
    return {p["Payment ID"]: p["Receipt No"] for p in practice.rows("Payments")}


@pytest.fixture
def receipted(practice):
    """Three invoices; two payments at the desk and one from the bank (Matched To filled), each receipted."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", date(2026, 11, 4)),
                    session("S-00003", date(2026, 11, 5), client="C-002"), session("S-00004", date(2026, 11, 6)))
    practice.run()
    practice.append("Payments", ["P-00001", date(2026, 11, 10), "C-001", "INV-2026-0001", 65, "Cash"],
                    ["P-00002", date(2026, 11, 11), "C-001", "INV-2026-0002", 65, "Card"])
    practice.append("Bank", [date(2026, 11, 12), 58.5, "BECKER, Jonas", "Behandlung", "2026111200003",
                             "statement.xml", "INV-2026-0003"])
    practice.run()
    assert sorted(_receipts(practice).values()) == ["RCPT-2026-0001", "RCPT-2026-0002", "RCPT-2026-0003"]
    return practice


@pytest.mark.parametrize("deleted", ["P-00003",  # the newest, made from the Bank row
                                     "P-00001"])  # an older one
def test_a_deleted_receipted_payment_is_put_back_and_its_number_never_given_again(receipted, deleted):
    practice = receipted
    was = _receipts(practice)
    balances = {c["Client ID"]: c["Balance"] for c in practice.rows("Clients")}
    sent = len(practice.emails())
    _delete_payment(practice, deleted)
    practice.append("Payments", ["P-00010", date(2026, 11, 21), "C-001", "INV-2026-0004", 20, "Card"])
    report = practice.run()

    said = "\n".join(report.for_a_person())
    assert f"restored {deleted} deleted Payments row put back: its receipt {was[deleted]} was issued" in said
    receipts = _receipts(practice)
    assert {k: v for k, v in receipts.items() if k in was} == was  # every payment as it was
    assert receipts["P-00010"] == "RCPT-2026-0004"
    numbers = [p["Receipt No"] for p in practice.rows("Payments") if p["Receipt No"]]
    assert len(numbers) == len(set(numbers)) == 4  # none issued twice, none added again from the Bank row
    assert len(practice.rows("Payments")) == 4
    assert (practice.folder / "invoices" / "RCPT-2026-0004.pdf").is_file()
    new = [m for m in practice.emails() if "RCPT-2026-0004" in str(m["Subject"])]
    assert len(new) == 1 and new[0]["To"].addresses[0].addr_spec == "anna@example.com"
    assert new[0]["X-Sheetbill-Document"] == "receipt RCPT-2026-0004 of payment P-00010"
    assert len(practice.emails()) == sent + 1
    after = {c["Client ID"]: c["Balance"] for c in practice.rows("Clients")}
    assert after["C-002"] == balances["C-002"]
    assert after["C-001"] == balances["C-001"] - 20
    practice.run()
    assert app.audit_findings(practice.config) == []
    assert _receipts(practice) == receipts


def test_a_receipted_payments_applied_to_and_receipt_no_typed_over_are_set_back(receipted):
    practice = receipted
    before = {p["Payment ID"]: (p["Applied To"], p["Receipt No"]) for p in practice.rows("Payments")}
    paid = {i["Invoice No"]: i["Status"] for i in practice.rows("Invoices")}
    practice.set("Payments", "P-00001", "Applied To", "INV-2026-0004 65.00", editor="Maria Admin")
    practice.set("Payments", "P-00002", "Receipt No", "RCPT-2026-0099", editor="Maria Admin")
    report = practice.run()
    said = report.for_a_person()
    assert f"restored P-00001 Applied To: INV-2026-0004 65.00 back to {before['P-00001'][0]}" in said
    assert f"restored P-00002 Receipt No: RCPT-2026-0099 back to {before['P-00002'][1]}" in said
    assert {p["Payment ID"]: (p["Applied To"], p["Receipt No"]) for p in practice.rows("Payments")} == before
    assert {i["Invoice No"]: i["Status"] for i in practice.rows("Invoices")} == paid  # the money stayed where it was
    assert app.audit_findings(practice.config) == []


def test_a_receipted_payments_client_invoice_and_lowered_amount_are_set_back(receipted):
    """What a receipt states of where the money went stays: a Client, an Invoice No or a lower Amount
    typed over are set back (they left the money on one client's invoices while another's account, or
    a negative Credit, counted it), and every figure agrees; a raised Amount is taken, the rest credit."""
    practice = receipted
    before = {p["Payment ID"]: dict(p) for p in practice.rows("Payments")}
    invoices = {i["Invoice No"]: (i["Paid"], i["Balance"], i["Status"]) for i in practice.rows("Invoices")}
    clients = {c["Client ID"]: (c["Balance"], c["Credit"]) for c in practice.rows("Clients")}
    practice.set("Payments", "P-00001", "Client", "C-002", editor="Maria Admin")
    practice.set("Payments", "P-00002", "Invoice No", "INV-2026-0004", editor="Maria Admin")
    practice.set("Payments", "P-00003", "Amount", 40, editor="Maria Admin")
    report = practice.run()
    said = report.for_a_person()
    assert "restored P-00001 Client: C-002 back to C-001" in said
    assert "restored P-00002 Invoice No: INV-2026-0004 back to INV-2026-0002" in said
    assert any(line.startswith("restored P-00003 Amount: 40") for line in said)
    assert sum("set back, as the receipt states" in line for line in said) == 3
    after = {p["Payment ID"]: dict(p) for p in practice.rows("Payments")}
    for pid in before:
        assert {k: v for k, v in after[pid].items() if k != "Amount"} == \
            {k: v for k, v in before[pid].items() if k != "Amount"}
        assert M(str(after[pid]["Amount"])) == M(str(before[pid]["Amount"]))
    assert {i["Invoice No"]: (i["Paid"], i["Balance"], i["Status"]) for i in practice.rows("Invoices")} == invoices
    assert {c["Client ID"]: (c["Balance"], c["Credit"]) for c in practice.rows("Clients")} == clients
    assert app.audit_findings(practice.config) == []

    practice.set("Payments", "P-00002", "Amount", 70, editor="Maria Admin")  # raised: taken, 5.00 is credit
    report = practice.run()
    assert not any(line.startswith("restored") for line in report.for_a_person())
    assert any("P-00002" in line and "the client's receipt still shows what it was" in line
               for line in report.for_a_person())
    raised = {p["Payment ID"]: p["Applied To"] for p in practice.rows("Payments")}["P-00002"]
    assert raised == "INV-2026-0002 65.00; INV-2026-0004 5.00"  # the rest pays her open invoice
    assert M(str({i["Invoice No"]: i["Paid"] for i in practice.rows("Invoices")}["INV-2026-0004"])) == 5
    assert app.audit_findings(practice.config) == []
    assert [line for line in practice.run().for_a_person() if "P-0000" in line] == []  # said once
