"""What clients are told about money, on real workbooks: every document's figures from the account."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sheetbill import cli, commands

from .conftest import session
from .test_e2e_excel import pdf_text
from .test_e2e_payments import by, payment
from .test_render_payment import pdf_text as raw_text


def flat(text: str) -> str:
    return " ".join(text.split())


def emails_about(practice, word: str) -> list:
    return [m for m in practice.emails() if word in m["Subject"]]


def body(message) -> str:
    return flat(message.get_body(preferencelist=("plain",)).get_content())


def attached_text(practice, message) -> str:
    attachment, = list(message.iter_attachments())
    path = practice.folder / "attached.pdf"
    path.write_bytes(attachment.get_content())
    return flat(pdf_text(path))


def invoice_pdf(practice, number: str) -> str:
    return flat(pdf_text(practice.folder / "invoices" / f"{number}.pdf"))


def test_the_first_invoice_of_a_batch_asks_only_for_itself(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 18)), session("S-00002", date(2026, 11, 19)),
                    session("S-00003", date(2026, 11, 20)))
    assert practice.run().created == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
    first, third = invoice_pdf(practice, "INV-2026-0001"), invoice_pdf(practice, "INV-2026-0003")
    assert "Previous balance" not in first and "Amount due 65.00 EUR" in first
    assert "Previous balance 130.00 EUR Total now due 195.00 EUR" in third
    mail = {m["Subject"].split()[1]: body(m) for m in emails_about(practice, "Invoice")}
    assert "earlier invoices" not in mail["INV-2026-0001"]
    assert "open balance of 130.00 EUR from earlier invoices, 195.00 EUR is now due" in mail["INV-2026-0003"]


def test_an_invoice_paid_at_the_desk_says_paid_and_asks_for_nothing(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 21)))
    practice.append("Payments", payment(None, date(2026, 11, 21), invoice="S-00001", amount="65", method="Cash"))
    practice.run()
    text = invoice_pdf(practice, "INV-2026-0001")
    assert "PAID — thank you" in text and "Amount due 0.00 EUR" in text and "Please pay" not in text
    assert "Paid 21 Nov 2026 · Cash -65.00 EUR RCPT-2026-0001" in text
    mail, = emails_about(practice, "Invoice")
    assert "paid in full (65.00 EUR)" in body(mail) and "Please pay" not in body(mail)


def test_a_reminder_and_the_invoice_it_attaches_name_the_same_open_amount(practice, clock):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run(clock)
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="20"))
    practice.run(clock)
    practice.set("Sessions", "S-00001", "Quantity", 2)
    practice.set("Invoices", "INV-2026-0001", "Status", "Void")
    practice.run(clock)  # CN-2026-0001, INV-2026-0002 for 130.00; the 20.00 moves to it
    new = by(practice.rows("Invoices"), "Invoice No")["INV-2026-0002"]
    assert Decimal(str(new["Balance"])) == Decimal("110")
    assert "Amount due 110.00 EUR" in invoice_pdf(practice, "INV-2026-0002")
    clock.current += timedelta(days=14 + 8)
    practice.run(clock)
    reminder, = emails_about(practice, "eminder")
    assert "110.00 EUR is still open" in body(reminder)
    attached = attached_text(practice, reminder)
    assert "Amount due 110.00 EUR" in attached and "-20.00 EUR" in attached
    assert list(reminder.iter_attachments())[0].get_filename() == "INV-2026-0002 (2026-12-13).pdf"


def test_a_statement_lists_a_payment_on_its_own_date(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 20)))
    practice.append("Payments", payment("P-00001", date(2026, 11, 20), invoice="S-00001", amount="65",
                                        method="Cash"))
    practice.run()  # invoiced on 21 Nov, paid at the desk on 20 Nov
    stored, _ = commands.statement(practice.worker(), "C-001", date(2026, 11, 1), date(2026, 11, 20), email=False)
    assert stored is not None and stored.path is not None
    text = flat(pdf_text(stored.path))
    assert "INVOICED PAID CLOSING BALANCE BALANCE DUE 0.00 EUR 0.00 EUR 65.00 EUR -65.00 EUR 0.00 EUR" in text  # never due below 0
    assert "20 Nov 2026 Payment of 65.00 EUR received, thank you 65.00 EUR -65.00 EUR" in text
    assert "Thank you: there is nothing to pay." in text


def test_a_receipt_does_not_count_invoices_issued_after_the_payment(practice, clock):
    clock.current -= timedelta(days=18)  # 3 Nov
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.run(clock)
    clock.current += timedelta(days=18)
    practice.append("Sessions", session("S-00002", date(2026, 11, 20)))
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="40"))
    clock.current += timedelta(days=1)
    practice.run(clock)  # INV-2026-0002 is issued on 22 Nov, after the payment
    receipt, = emails_about(practice, "Receipt")
    assert "25.00 EUR was still open on your invoices on 10 Nov 2026" in body(receipt)
    assert "Still open on 10 Nov 2026 25.00 EUR" in attached_text(practice, receipt)


def test_a_receipt_paid_before_its_invoice_was_made_counts_what_that_invoice_still_asks(practice, clock):
    """Paid in part at the desk on 2 Nov, the session entered and invoiced on 21 Nov: the receipt
    lists the invoice it paid and says what is left on it, not that nothing was open on 2 Nov."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)))
    practice.append("Payments", payment("P-00001", date(2026, 11, 2), invoice="S-00001", amount="40", method="Cash"))
    practice.run(clock)
    receipt, = emails_about(practice, "Receipt")
    assert "INV-2026-0001: 40.00 EUR" in body(receipt)
    assert "After this payment, 25.00 EUR was still open on your invoices on 21 Nov 2026." in body(receipt)
    assert "Still open on 21 Nov 2026 25.00 EUR" in attached_text(practice, receipt)


def test_a_refund_gets_a_refund_receipt_once(practice, clock):
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), client="C-001", amount="50"),
                    payment("P-00002", date(2026, 11, 12), client="C-001", amount="-20", method="Bank transfer"))
    practice.run(clock)
    practice.run(clock)
    refund, = emails_about(practice, "Refund receipt")
    assert refund["Subject"].startswith("Refund receipt RCPT-2026-0002")
    assert "We have refunded 20.00 EUR to you on 12 Nov 2026" in body(refund)
    assert "Your credit on account is now 30.00 EUR" in body(refund)
    text = attached_text(practice, refund)
    assert "REFUND RECEIPT" in text and "Amount refunded 20.00 EUR" in text
    assert by(practice.rows("Payments"), "Payment ID")["P-00002"]["Receipt No"] == "RCPT-2026-0002"


def test_sheetbill_invoice_renders_it_as_it_stands_beside_the_original(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    original = (practice.folder / "invoices" / "INV-2026-0001.pdf").read_bytes()
    practice.append("Payments", payment("P-00001", date(2026, 11, 20), invoice="INV-2026-0001", amount="65"))
    practice.run()
    args = ["-q", "invoice", "inv-2026-0001", "--email", "--config", str(practice.config_path)]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert cli.main(args) == 0 and "emailed today already" in capsys.readouterr().out  # once a day
    copy, = (practice.folder / "invoices").glob("INV-2026-0001 (*).pdf")
    assert f"Invoice: {copy}" in out and "Emailed: INV-2026-0001 as of" in out
    assert (practice.folder / "invoices" / "INV-2026-0001.pdf").read_bytes() == original
    text = flat(pdf_text(copy))
    assert "PAID — thank you" in text and "Status Paid" in text and "Amount due 0.00 EUR" in text
    sent = emails_about(practice, "Invoice INV-2026-0001")
    assert len(sent) == 2 and sent[0]["Message-ID"] != sent[1]["Message-ID"]  # the original, and the copy once
    assert {a.get_filename() for m in sent for a in m.iter_attachments()} == {"INV-2026-0001.pdf", copy.name}
    assert cli.main(["-q", "invoice", "INV-2099-0001", "--config", str(practice.config_path)]) == 1
    assert "no invoice INV-2099-0001" in capsys.readouterr().err


def test_a_void_part_paid_invoice_names_its_credit_note_and_where_its_money_went(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()  # INV-2026-0001, 65.00
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="40"))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void", editor="Maria Admin")
    practice.set("Sessions", "S-00001", "Quantity", 2, editor="Maria Admin")
    assert practice.run().created == ["INV-2026-0002", "CN-2026-0001"]  # 130.00, the 40.00 set against it
    assert by(practice.rows("Payments"), "Payment ID")["P-00001"]["Applied To"] == \
        "INV-2026-0001 40.00; INV-2026-0002 40.00"

    note, = emails_about(practice, "Credit note")
    said = body(note)
    assert "It cancels invoice INV-2026-0001 (65.00 EUR). The 40.00 EUR paid on it is set against invoice " \
           "INV-2026-0002." in said
    assert "credited to your account" not in said and "If you had already paid" not in said
    folder = practice.folder / "invoices"
    assert "This credit note cancels invoice INV-2026-0001. The 40.00 EUR paid on it is set against invoice " \
           "INV-2026-0002." in raw_text((folder / "CN-2026-0001.pdf").read_bytes())

    assert cli.main(["-q", "invoice", "INV-2026-0001", "--config", str(practice.config_path)]) == 0
    copy, = folder.glob("INV-2026-0001 (*).pdf")
    text = raw_text(copy.read_bytes())
    assert "Status Void" in text and "This invoice was cancelled by credit note CN-2026-0001 of " in text
    assert "Total 65.00 EUR Cancelled by credit note CN-2026-0001 -65.00 EUR Amount due 0.00 EUR" in text
    assert "The 40.00 EUR paid on it is set against invoice INV-2026-0002." in text
    for absent in ("25.00 EUR", "credit on account covers", "Please quote this reference", "RF"):
        assert absent not in text


def test_money_a_void_moved_to_the_invoice_billed_again_is_paid_once(practice):
    """Paid 65.00 on INV-2026-0001, which is then voided: the money pays INV-2026-0002, which bills
    the session again. The void invoice's Paid no longer claims it too: the Invoices tab, the
    statement and the receipt each count the 65.00 once, and the audit agrees."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="65"))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void", editor="Maria Admin")
    assert practice.run().created == ["INV-2026-0002", "CN-2026-0001"]
    invoices = by(practice.rows("Invoices"), "Invoice No")
    shown = {no: (r["Paid"], r["Balance"], r["Status"]) for no, r in invoices.items()}
    assert shown == {"INV-2026-0001": (0, 0, "Void"), "CN-2026-0001": (0, 0, "Finalized"),
                     "INV-2026-0002": (65, 0, "Paid")}
    assert sum(Decimal(str(r["Paid"])) for r in invoices.values()) == Decimal("65")  # the money received
    assert by(practice.rows("Clients"), "Client ID")["C-001"]["Credit"] == 0

    stored, _ = commands.statement(practice.worker(), "C-001", date(2026, 11, 1), date(2026, 11, 30), email=False)
    assert stored is not None and stored.path is not None
    assert "INVOICED PAID CLOSING BALANCE BALANCE DUE 0.00 EUR 65.00 EUR 65.00 EUR 0.00 EUR 0.00 EUR" in \
        flat(pdf_text(stored.path))
    receipt, = emails_about(practice, "Receipt")
    assert "Thank you for your payment of 65.00 EUR" in body(receipt)
    assert "invoice INV-2026-0001: 65.00 EUR" in body(receipt)  # where it went that day

    assert cli.main(["-q", "audit", "--config", str(practice.config_path)]) == 0


def test_a_void_invoice_keeps_as_paid_what_is_still_credit(practice):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    practice.append("Payments", payment("P-00001", date(2026, 11, 10), invoice="INV-2026-0001", amount="65"))
    practice.run()
    practice.set("Invoices", "INV-2026-0001", "Status", "Void", editor="Maria Admin")
    practice.set("Sessions", "S-00001", "Status", "Cancelled", editor="Maria Admin")
    assert practice.run().created == ["CN-2026-0001"]
    assert by(practice.rows("Invoices"), "Invoice No")["INV-2026-0001"]["Paid"] == 65
    assert by(practice.rows("Clients"), "Client ID")["C-001"]["Credit"] == 65
