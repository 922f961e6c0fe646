"""`sheetbill bank import`: statements into the Bank tab and Payments, on a real workbook."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from sheetbill import cli

from .conftest import session
from .test_payments_entries import camt

FILES = Path(__file__).resolve().parent / "bankfiles"


def money(value) -> Decimal | None:
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None


def bank(practice, *args) -> int:
    return cli.main(["-q", "bank", "import", *[str(a) for a in args], "--config", str(practice.config_path)])


def three_invoices(practice) -> None:
    practice.append("Sessions", session("S-00001", date(2026, 11, 2)),  # INV-2026-0001, 65.00
                    session("S-00002", date(2026, 11, 3), client="C-002"),  # INV-2026-0002, 58.50
                    session("S-00003", date(2026, 11, 4), client="C-003"))  # INV-2026-0003, 65.00 (daily)
    practice.run()
    assert [r["Invoice No"] for r in practice.rows("Invoices")] == ["INV-2026-0001", "INV-2026-0002",
                                                                    "INV-2026-0003"]


def test_camt053_credits_matched_by_reference_number_and_name_the_rest_left_for_a_person(practice, capsys):
    three_invoices(practice)
    assert bank(practice, FILES / "camt053_v02_sparkasse.xml") == 0
    assert bank(practice, FILES / "camt053_v08_batch.xml") == 0
    out = capsys.readouterr().out
    assert "2 new credit(s), 2 matched to invoices, 0 left in Bank for a person; 0 already imported, " \
           "1 debit(s) left alone" in out
    assert "-> INV-2026-0003 (amount and name)" in out

    rows = practice.rows("Bank")
    assert [(r["Reference"], money(r["Amount"]), r["Matched To"]) for r in rows] == [
        ("2026112100001", Decimal("65.00"), "INV-2026-0001"),
        ("2026112100002", Decimal("30.00"), "INV-2026-0002"),
        ("B77-1", Decimal("65.00"), "INV-2026-0003"),
        ("B77-2", Decimal("65.00"), None),
    ]
    assert [r["Problem"] for r in rows][:3] == [None, None, None]
    assert rows[3]["Problem"].startswith("No invoice found") and rows[3]["Counterparty"] == "Unknown Sender GmbH"
    assert rows[0]["File"] == "camt053_v02_sparkasse.xml" and rows[0]["Text"] == "RF16INV20260001 GUTSCHRIFT"

    payments = practice.rows("Payments")
    assert [(p["Invoice No"], money(p["Amount"]), p["Method"], p["Reference"]) for p in payments] == [
        ("INV-2026-0001", Decimal("65.00"), "Bank transfer", "2026112100001"),
        ("INV-2026-0002", Decimal("30.00"), "Bank transfer", "2026112100002"),
        ("INV-2026-0003", Decimal("65.00"), "Bank transfer", "B77-1"),
    ]

    practice.run()  # the usual machinery applies them and sends the receipts
    invoices = {r["Invoice No"]: r for r in practice.rows("Invoices")}
    assert [invoices[n]["Status"] for n in ("INV-2026-0001", "INV-2026-0002", "INV-2026-0003")] == [
        "Paid", "Partially Paid", "Paid"]
    assert money(invoices["INV-2026-0002"]["Balance"]) == Decimal("28.50")
    assert all(p["Receipt No"] and not p["Problem"] for p in practice.rows("Payments"))


def test_importing_the_same_file_twice_adds_nothing(practice, capsys, tmp_path):
    three_invoices(practice)
    bank(practice, FILES / "camt053_v02_sparkasse.xml")
    before = (practice.rows("Bank"), practice.rows("Payments"))
    assert bank(practice, FILES / "camt053_v02_sparkasse.xml") == 0
    assert "was imported before; nothing added" in capsys.readouterr().out
    # the same entries in another file (a later export overlapping the first) are known by the bank's reference
    shutil.copy(FILES / "camt053_v02_sparkasse.xml", tmp_path / "again.xml")
    with open(tmp_path / "again.xml", "a") as f:
        f.write("\n<!-- exported again -->\n")
    assert bank(practice, tmp_path / "again.xml") == 0
    assert "0 new credit(s), 0 matched to invoices, 0 left in Bank for a person; 2 already imported" in \
        capsys.readouterr().out
    assert (practice.rows("Bank"), practice.rows("Payments")) == before


def test_a_person_matches_the_rest_in_the_bank_tab_and_the_next_cycle_applies_it(practice):
    three_invoices(practice)
    practice.append("Sessions", session("S-00004", date(2026, 11, 5), client="C-001"))  # INV-2026-0004, 65.00
    practice.run()
    bank(practice, FILES / "camt053_v08_batch.xml")
    [unmatched] = [r for r in practice.rows("Bank") if r["Reference"] == "B77-2"]
    assert unmatched["Problem"]
    _set_matched(practice, "B77-2", "INV-2026-0004")
    practice.run()
    [row] = [r for r in practice.rows("Bank") if r["Reference"] == "B77-2"]
    assert row["Problem"] is None and row["Matched To"] == "INV-2026-0004"
    [paid] = [p for p in practice.rows("Payments") if p["Reference"] == "B77-2"]
    assert (paid["Invoice No"], money(paid["Amount"]), paid["Method"]) == ("INV-2026-0004", Decimal("65.00"),
                                                                          "Bank transfer")
    practice.run()
    practice.run()  # once only
    assert len([p for p in practice.rows("Payments") if p["Reference"] == "B77-2"]) == 1
    invoices = {r["Invoice No"]: r for r in practice.rows("Invoices")}
    assert invoices["INV-2026-0004"]["Status"] == "Paid"


def test_mt940_statement(practice, capsys):
    three_invoices(practice)
    assert bank(practice, FILES / "mt940_deutsche.sta") == 0
    assert [(p["Invoice No"], money(p["Amount"])) for p in practice.rows("Payments")] == [
        ("INV-2026-0001", Decimal("65.00")), ("INV-2026-0002", Decimal("30.00"))]


def test_an_unreadable_file_is_one_line_and_changes_nothing(practice, capsys, tmp_path):
    (tmp_path / "x.dat").write_text("Date;Amount\n")
    assert bank(practice, tmp_path / "x.dat") == 1
    assert "x.dat: neither a CAMT.053 (XML) nor an MT940 statement" in capsys.readouterr().err
    (tmp_path / "x.csv").write_text("Date;Amount\n")
    assert bank(practice, tmp_path / "x.csv") == 1
    assert "x.csv: a CSV statement needs payments.bank.csv in the config" in capsys.readouterr().err
    assert practice.rows("Bank") == []


def _set_matched(practice, reference: str, invoice_no: str) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(practice.workbook)
    ws = wb["Bank"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("Reference")].value == reference:
            row[header.index("Matched To")].value = invoice_no
    wb.save(practice.workbook)


MT940_TWICE = (":20:STARTUMSE\n:25:37040044/0532013000\n:28C:00001/001\n:60F:C261120EUR1000,00\n"
               + ":61:2611211121CR65,00NTRFNONREF//\n:86:166?00GUTSCHRIFT?20Rechnung INV-2026-0001?32MEIER ANNA\n" * 2
               + ":62F:C261121EUR1130,00\n-\n")


def test_the_same_payment_made_twice_is_imported_twice_and_the_file_once(practice, capsys, tmp_path):
    three_invoices(practice)
    (tmp_path / "auszug.sta").write_text(MT940_TWICE)  # no bank references (NONREF): known by what they say
    assert bank(practice, tmp_path / "auszug.sta") == 0
    assert "2 new credit(s), 1 matched to invoices, 1 left in Bank for a person; 0 already imported" in \
        capsys.readouterr().out
    rows = practice.rows("Bank")
    assert [(money(r["Amount"]), r["Matched To"]) for r in rows] == [(Decimal("65.00"), "INV-2026-0001"),
                                                                    (Decimal("65.00"), None)]
    assert rows[1]["Problem"].startswith("Pays INV-2026-0001, which is already paid")
    assert [(p["Invoice No"], money(p["Amount"])) for p in practice.rows("Payments")] == [
        ("INV-2026-0001", Decimal("65.00"))]

    before = (practice.rows("Bank"), practice.rows("Payments"))
    (tmp_path / "auszug-again.sta").write_text(MT940_TWICE + "\n")  # exported again
    assert bank(practice, tmp_path / "auszug-again.sta") == 0
    assert "0 new credit(s), 0 matched to invoices, 0 left in Bank for a person; 2 already imported" in \
        capsys.readouterr().out
    assert (practice.rows("Bank"), practice.rows("Payments")) == before


# A bank that numbers the entries of each statement (NtryRef 1, 2, ... again in the next one), no AcctSvcrRef.
NOV_20 = [("1", "", "2026-11-20", "65.00", "CRDT", [("Anna Meier", "65.00")])]
NOV_21 = [("1", "", "2026-11-21", "58.50", "CRDT", [("Jonas Becker", "58.50")]),
          ("2", "", "2026-11-21", "65.00", "CRDT", [("Sofia Rossi", "65.00")])]


def test_entry_1_of_the_next_statement_is_not_taken_for_entry_1_of_the_last(practice, capsys, tmp_path):
    three_invoices(practice)
    (tmp_path / "nov-20.xml").write_text(camt(NOV_20))
    (tmp_path / "nov-21.xml").write_text(camt(NOV_21))
    assert bank(practice, tmp_path / "nov-20.xml") == 0
    assert bank(practice, tmp_path / "nov-21.xml") == 0
    assert "nov-21.xml: 2 new credit(s), 2 matched to invoices, 0 left in Bank for a person; 0 already imported" \
        in capsys.readouterr().out
    assert [(p["Invoice No"], money(p["Amount"]), p["Reference"]) for p in practice.rows("Payments")] == [
        ("INV-2026-0001", Decimal("65.00"), "1/2026-11-20/65.00"),
        ("INV-2026-0002", Decimal("58.50"), "1/2026-11-21/58.50"),
        ("INV-2026-0003", Decimal("65.00"), "2/2026-11-21/65.00")]
    (tmp_path / "november.xml").write_text(camt(NOV_20, NOV_21))  # both again, in one file
    assert bank(practice, tmp_path / "november.xml") == 0
    assert "0 new credit(s), 0 matched to invoices, 0 left in Bank for a person; 3 already imported" in \
        capsys.readouterr().out
    practice.run()
    assert {r["Status"] for r in practice.rows("Invoices")} == {"Paid"}


def test_an_entry_an_earlier_version_stored_by_its_number_alone_is_still_known(practice, capsys, tmp_path):
    three_invoices(practice)
    # as an earlier version left the import of nov-20.xml: Reference the entry number alone
    practice.append("Bank", [date(2026, 11, 20), 65, "Anna Meier", None, "1", "nov-20.xml", "INV-2026-0001", None])
    practice.append("Payments", [None, date(2026, 11, 20), None, "INV-2026-0001", 65, "Bank transfer", "1"])
    practice.run()
    (tmp_path / "november.xml").write_text(camt(NOV_20, NOV_21))
    assert bank(practice, tmp_path / "november.xml") == 0
    assert "2 new credit(s), 2 matched to invoices, 0 left in Bank for a person; 1 already imported" in \
        capsys.readouterr().out
    assert [(r["Reference"], r["Matched To"]) for r in practice.rows("Bank")] == [
        ("1", "INV-2026-0001"), ("1/2026-11-21/58.50", "INV-2026-0002"), ("2/2026-11-21/65.00", "INV-2026-0003")]
    practice.run()
    assert len(practice.rows("Payments")) == 3
    assert {r["Status"] for r in practice.rows("Invoices")} == {"Paid"}


def test_a_bad_amount_or_transaction_line_is_one_line_on_the_terminal(practice, tmp_path):
    """A real process, as the admin sees it: the package's own log lines would show there too."""
    three_invoices(practice)
    camt_text = (FILES / "camt053_v02_sparkasse.xml").read_text()
    entry_2 = '<Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
    files = {
        "comma.xml": (camt_text.replace(entry_2, entry_2.replace("30.00", "21,00")),
                      "comma.xml: entry 2 (2026112100002): amount '21,00' is not a number like 21.00"),
        "nan.xml": (camt_text.replace(entry_2, entry_2.replace("30.00", "NaN")),
                    "nan.xml: entry 2 (2026112100002): amount 'NaN' is not a number like 65.00"),
        "infinity.xml": (camt_text.replace(entry_2, entry_2.replace("30.00", "Infinity")),
                         "infinity.xml: entry 2 (2026112100002): amount 'Infinity' is not a number like 65.00"),
        "bad.sta": ((FILES / "mt940_deutsche.sta").read_text().replace(":61:2611211121CR30", ":61:26112X1121CR30"),
                    "bad.sta: line 7, transaction 2: ':61:26112X1121CR30,00NTRFNONREF//BANKREF-2' is not a "
                    "transaction line as MT940 writes it (value date YYMMDD, entry date MMDD if any, C or D, amount "
                    "like 65,00, type like NTRF, reference)"),
    }
    for name, (text, message) in files.items():
        (tmp_path / name).write_text(text)
        done = subprocess.run([sys.executable, "-m", "sheetbill", "bank", "import", str(tmp_path / name),
                               "--config", str(practice.config_path)], capture_output=True, text=True, timeout=300)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", f"sheetbill: {message}\n")
    assert practice.rows("Bank") == [] and practice.rows("Payments") == []


def test_a_transfer_made_with_the_qr_code_of_an_invoice_of_0_00_pays_what_its_client_owes(practice, tmp_path):
    """An invoice of 0.00 (a session at 100 % off) asks for what is open on earlier invoices; the
    transfer its QR code makes quoted its own reference, which the import refused ('Pays
    INV-2026-0002, which is already paid'): it now quotes the client's, which pays their oldest."""
    from .test_e2e_payment_codes import scan

    practice.append("Sessions", session("S-00001", date(2026, 11, 2)),
                    session("S-00002", date(2026, 11, 3), discount="100%"))
    practice.run()
    row = next(r for r in practice.rows("Invoices") if r["Invoice No"] == "INV-2026-0002")
    assert money(row["Total"]) == Decimal("0.00")
    (code,) = scan(practice.folder / row["PDF"], tmp_path / "scan")
    lines = code.split("\n")
    amount, reference = lines[7].removeprefix("EUR"), lines[9]
    assert amount == "65.00"
    (tmp_path / "s.xml").write_text(
        "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'><BkToCstmrStmt><Stmt><Id>S-1</Id>"
        f"<Ntry><Amt Ccy='EUR'>{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        "<BookgDt><Dt>2026-11-21</Dt></BookgDt><AcctSvcrRef>B-1</AcctSvcrRef><NtryDtls><TxDtls>"
        f"<Amt Ccy='EUR'>{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Nm>Anna Meier</Nm></Dbtr>"
        f"</RltdPties><RmtInf><Strd><CdtrRefInf><Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf>"
        "</TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>")
    assert bank(practice, tmp_path / "s.xml") == 0
    (entry,) = practice.rows("Bank")
    assert entry["Problem"] is None and entry["Matched To"] == "C-001"
    practice.run()
    assert next(r for r in practice.rows("Invoices") if r["Invoice No"] == "INV-2026-0001")["Status"] == "Paid"
