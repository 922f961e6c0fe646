"""What a document's payment QR code carries is what the bank import matches: the code read back
from the PDF, quoted by the payer's bank as a structured reference or as remittance text, finds
the invoice or client whose document carried it, or a Problem when it fits more than one, never
another invoice."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from sheetbill.payments.bank_import import import_statement
from sheetbill.render.html import HtmlRenderer
from sheetbill.render.sample import sample_document, sample_statement
from sheetbill.render.statement import STATEMENT

from .test_payments_bank_import import tables
from .test_payments_matching import client, invoice
from .test_render_payment import TEMPLATE, numbered, pdf_text, scanned, with_account

SEPA = {"account_holder": "Lindenhof Physiotherapie GmbH", "iban": "DE89370400440532013000", "bic": "COBADEFFXXX"}
SWISS = {"account_holder": "Praxis am See", "iban": "CH9300762011623852957", "bic": "",
         "address": "Seestrasse 4\n8002 Zürich", "currency": "CHF"}


def invoice_code(number: str, tmp_path: Path, swiss: bool = False) -> str:
    """The payload of the QR code on the PDF of invoice `number`, 12.34 open."""
    doc = replace(with_account(numbered(sample_document(), number), open_amount=Decimal("12.34")),
                  previous_balance=Decimal(0))
    if swiss:
        doc = replace(doc, practice=replace(doc.practice, **SWISS))
    pdf = HtmlRenderer(TEMPLATE).render(doc)
    folder = tmp_path / f"code-{len(list(tmp_path.glob('code-*')))}"
    folder.mkdir()
    [found] = scanned(pdf, folder, page=2 if swiss else 1)
    return found


def statement_pdf(client_id: str, swiss: bool = False):
    doc = sample_statement()
    doc = replace(doc, client=replace(doc.client, client_id=client_id),
                  practice=replace(doc.practice, **(SWISS if swiss else SEPA)))
    return doc, HtmlRenderer(TEMPLATE.parent / "statement.html", STATEMENT).render(doc)


def quoted(payload: str) -> tuple[str, str]:
    """What the code asks the bank to pass on: (structured reference, unstructured text)."""
    if payload.startswith("BCD"):
        lines = payload.split("\n") + [""]
        return lines[9], lines[10]
    lines = payload.split("\r\n")
    at = next(n for n, line in enumerate(lines) if line in ("QRR", "SCOR", "NON"))
    return lines[at + 1], lines[at + 2]


def imported(payload: str, amount: str, invoices, clients, tmp_path: Path):
    """The match the bank import makes of a credit of `amount` paid with the code `payload`."""
    reference, text = quoted(payload)
    remittance = (f"<Strd><CdtrRefInf><Ref>{escape(reference)}</Ref></CdtrRefInf></Strd>" if reference
                  else f"<Ustrd>{escape(text)}</Ustrd>")
    (tmp_path / "s.xml").write_text(
        "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'><BkToCstmrStmt><Stmt><Id>S</Id>"
        f"<Ntry><NtryRef>1</NtryRef><Amt Ccy='EUR'>{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        "<BookgDt><Dt>2026-12-01</Dt></BookgDt><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Someone</Nm></Dbtr>"
        f"</RltdPties><RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>")
    result = import_statement(tmp_path / "s.xml", tables(), {}, invoices, clients, "EUR", "stamp")
    [match] = result.matches
    return match


CLIENTS = [client("C-001", "Anna Meier"), client("C-002", "Jonas Becker")]


@pytest.mark.parametrize("swiss", [False, True], ids=["epc", "swiss"])
def test_an_accented_number_carries_its_letter_and_is_matched_to_its_own_invoice(tmp_path, swiss):
    """`RÉ-2026-0001` lost its É: its code carried `R20260001`, the reference of `R-2026-0001`,
    and a payment of either was 'Names 2 invoices'."""
    accented, plain = invoice("RÉ-2026-0001", "C-001", "12.34"), invoice("R-2026-0001", "C-002", "12.34")
    codes = {inv.invoice_no: invoice_code(inv.invoice_no, tmp_path, swiss) for inv in (accented, plain)}
    assert quoted(codes["RÉ-2026-0001"])[0] == "RF40RE20260001"
    assert quoted(codes["R-2026-0001"])[0] == "RF55R20260001"
    match = imported(codes["RÉ-2026-0001"], "12.34", [accented, plain], CLIENTS, tmp_path)
    assert (match.invoice_no, match.rule, match.problem) == ("RÉ-2026-0001", "reference", "")
    # R-2026-0001's is the reference RÉ-2026-0001's documents carried before: not guessed while it is open
    match = imported(codes["R-2026-0001"], "12.34", [accented, plain], CLIENTS, tmp_path)
    assert match.problem.startswith("Names 2 invoices (RÉ-2026-0001, R-2026-0001)")
    paid = invoice("RÉ-2026-0001", "C-001", "0.00", "Paid")
    match = imported(codes["R-2026-0001"], "12.34", [paid, plain], CLIENTS, tmp_path)
    assert (match.invoice_no, match.rule, match.problem) == ("R-2026-0001", "reference", "")


def test_two_numbers_written_alike_in_latin_letters_are_never_guessed(tmp_path):
    """`RÉ-2026-0001` and `RE-2026-0001` carry the same reference: a payment quoting it is a
    Problem naming both, for a person to decide, whichever of the two is still open."""
    accented = invoice("RÉ-2026-0001", "C-001", "12.34")
    for twin in (invoice("RE-2026-0001", "C-002", "12.34"), invoice("RE-2026-0001", "C-002", "12.34", "Void")):
        match = imported(invoice_code("RÉ-2026-0001", tmp_path), "12.34", [accented, twin], CLIENTS, tmp_path)
        assert match.matched_to == ""
        assert match.problem.startswith("Names 2 invoices (RÉ-2026-0001, RE-2026-0001)")


def test_a_client_id_outside_ascii_on_a_statement_pays_that_client(tmp_path):
    """`KUNDE-MÜLLER` and `KUNDE-MÖLLER` both made `RF.. KUNDEMLLER`: neither statement's
    payment was recognised."""
    clients = [client("KUNDE-MÜLLER", "Anna Müller"), client("KUNDE-MÖLLER", "Jonas Möller")]
    invoices = [invoice("INV-2026-0001", "KUNDE-MÜLLER", "400.00"), invoice("INV-2026-0002", "KUNDE-MÖLLER", "400.00")]
    for cid in ("KUNDE-MÜLLER", "KUNDE-MÖLLER"):
        doc, pdf = statement_pdf(cid)
        [payload] = scanned(pdf, tmp_path, page=None)
        due = f"{doc.statement.due:.2f}"
        assert payload.split("\n")[7] == f"EUR{due}"
        match = imported(payload, due, invoices, clients, tmp_path)
        assert (match.client_id, match.rule, match.problem) == (cid, "client reference", "")


LONG_ID = "PRAXIS-LINDENHOF-KUNDE-00042"  # 24 letters and digits: too many for an RF reference


@pytest.mark.parametrize("swiss", [False, True], ids=["epc", "swiss"])
def test_a_statement_of_a_client_id_too_long_for_a_reference_quotes_it_as_text(tmp_path, swiss):
    """Such a statement had no QR code at all and asked for no reference."""
    doc, pdf = statement_pdf(LONG_ID, swiss)
    due = f"{doc.statement.due:.2f}"
    assert f"quoting the reference {LONG_ID}." in pdf_text(pdf)
    [payload] = scanned(pdf, tmp_path, page=None)
    if swiss:
        assert f"\r\n{due}\r\nCHF\r\n" in payload and f"\r\nNON\r\n\r\n{LONG_ID}\r\nEPD" in payload
    else:
        assert payload.split("\n")[7:] == [f"EUR{due}", "", "", LONG_ID]
    clients = CLIENTS + [client(LONG_ID, "Dr. Margarethe Schönberg-Castellanos")]
    invoices = [invoice("INV-2026-0038", LONG_ID, "48.50"), invoice("INV-2026-0042", LONG_ID, "199.98"),
                invoice("INV-2026-0001", "C-001", due)]
    match = imported(payload, due, invoices, clients, tmp_path)
    assert (match.client_id, match.invoice_no, match.rule, match.problem) == (LONG_ID, "", "client reference", "")


def test_a_long_client_id_written_in_latin_letters_and_found_so(tmp_path):
    cid = "Praxis-Müllerstraße-Kunde-0042"
    doc, pdf = statement_pdf(cid)
    [payload] = scanned(pdf, tmp_path, page=None)
    assert payload.split("\n")[-1] == "Praxis-Mullerstrasse-Kunde-0042"
    due = f"{doc.statement.due:.2f}"
    clients = [client(cid, "Anna Müller"), client("Praxis-Müllerstraße-Kunde-0043", "Jonas Müller")]
    invoices = [invoice("INV-2026-0001", cid, due), invoice("INV-2026-0002", "Praxis-Müllerstraße-Kunde-0043", due)]
    match = imported(payload, due, invoices, clients, tmp_path)
    assert (match.client_id, match.rule, match.problem) == (cid, "client reference", "")
    # the same written alike by another client: named, not guessed
    twin = client("PRAXIS-MULLERSTRASSE-KUNDE-0042", "Anna Muller")
    match = imported(payload, due, invoices, clients + [twin], tmp_path)
    assert match.matched_to == "" and match.problem.startswith(
        f"Names client {cid} (Anna Müller) and client PRAXIS-MULLERSTRASSE-KUNDE-0042 (Anna Muller)")


def test_an_invoice_of_0_00_asking_for_earlier_ones_quotes_a_long_client_id_as_text(tmp_path):
    """It asks for what is open on the client's earlier invoices with the client's reference; a
    Client ID too long for one left it without a code."""
    doc = sample_document()
    doc = with_account(replace(doc, invoice=replace(doc.invoice, total=Decimal(0), balance=Decimal(0)),
                               client=replace(doc.client, client_id=LONG_ID)), open_amount=Decimal(0))
    assert doc.balance == 0 and doc.amount_due == Decimal("48.50") and not doc.is_paid
    pdf = HtmlRenderer(TEMPLATE).render(doc)
    [payload] = scanned(pdf, tmp_path, page=None)
    assert payload.split("\n")[7:] == ["EUR48.50", "", "", LONG_ID]
    invoices = [invoice("INV-2026-0038", LONG_ID, "48.50"), invoice("INV-2026-0042", LONG_ID, "0.00", "Paid")]
    match = imported(payload, "48.50", invoices, CLIENTS + [client(LONG_ID, "Dr. Schönberg")], tmp_path)
    assert (match.client_id, match.rule, match.problem) == (LONG_ID, "client reference", "")
