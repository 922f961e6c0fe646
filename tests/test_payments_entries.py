"""payments.entries, camt, mt940_file: statements of several banks' shapes read into entries."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sheetbill.payments.bank_settings import CsvMapping
from sheetbill.payments.entries import BankEntry, StatementError, read_statement

FILES = Path(__file__).resolve().parent / "bankfiles"


def summary(entries: list[BankEntry]) -> list[tuple]:
    return [(e.date, e.amount, e.counterparty, e.text, e.key, e.structured_ref) for e in entries]


def test_camt053_v02_structured_and_unstructured_remittance_debits_pending_left_out():
    assert summary(read_statement(FILES / "camt053_v02_sparkasse.xml")) == [
        (date(2026, 11, 21), Decimal("65.00"), "Anna Meier", "GUTSCHRIFT", "2026112100001", "RF16INV20260001"),
        (date(2026, 11, 21), Decimal("30.00"), "BECKER, JONAS", "Rechnung inv 2026/0002 Teilzahlung",
         "2026112100002", ""),
        (date(2026, 11, 21), Decimal("-12.00"), "", "ENTGELT KONTOFUEHRUNG", "2026112100003", ""),
    ]


def test_camt053_v08_batch_gives_one_entry_per_transaction_reversals_left_out():
    assert summary(read_statement(FILES / "camt053_v08_batch.xml")) == [
        (date(2026, 11, 21), Decimal("65.00"), "Sofia Rossi", "Sessione novembre", "B77-1", ""),
        (date(2026, 11, 21), Decimal("65.00"), "Unknown Sender GmbH", "Spende", "B77-2", ""),
        (date(2026, 11, 21), Decimal("-65.00"), "Anna Meier", "", "R-9", ""),  # a returned transfer: a debit
    ]


@pytest.mark.parametrize("version", ["02", "03", "04", "05", "06", "07", "08"])
def test_every_camt053_version_reads_alike(tmp_path, version):
    text = (FILES / "camt053_v02_sparkasse.xml").read_text().replace("camt.053.001.02", f"camt.053.001.{version}")
    (tmp_path / "s.xml").write_text(text)
    assert len(read_statement(tmp_path / "s.xml")) == 3


def test_charges_taken_by_the_bank_do_not_change_what_the_client_paid(tmp_path):
    text = (FILES / "camt053_v02_sparkasse.xml").read_text().replace(
        '<Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>',
        '<Amt Ccy="EUR">29.50</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        '<Chrgs><Amt Ccy="EUR">0.50</Amt><CdtDbtInd>DBIT</CdtDbtInd></Chrgs>', 1)
    (tmp_path / "s.xml").write_text(text)
    assert read_statement(tmp_path / "s.xml")[1].amount == Decimal("30.00")


def test_mt940_with_structured_86_fields():
    assert summary(read_statement(FILES / "mt940_deutsche.sta")) == [
        (date(2026, 11, 21), Decimal("65.00"), "MEIER ANNA", "RF16 INV2 0260 001Danke", "BANKREF-1", ""),
        (date(2026, 11, 21), Decimal("30.00"), "Becker, Jonas", "Rechnung INV 2026 0002", "BANKREF-2", ""),
        (date(2026, 11, 21), Decimal("-12.00"), "", "Kontofuehrung", "BANKREF-3", ""),
    ]


def test_an_entry_without_a_bank_reference_is_known_by_what_it_says():
    a = BankEntry(date(2026, 11, 21), Decimal(10), "EUR", "A", "x", "")
    assert a.key.startswith("sha:") and a.key == BankEntry(date(2026, 11, 21), Decimal(10), "EUR", "A", "x", "").key
    assert a.key != BankEntry(date(2026, 11, 21), Decimal(10), "EUR", "A", "y", "").key


@pytest.mark.parametrize("content, message", [
    (b"hello", "neither a CAMT.053 (XML) nor an MT940 statement"),
    (b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.02'/>", "not a CAMT.053 statement"),
    (b"<Document", "not well-formed XML"),
])
def test_unreadable_files_say_why(tmp_path, content, message):
    (tmp_path / "f").write_bytes(content)
    with pytest.raises(StatementError, match=re.escape(message)):
        read_statement(tmp_path / "f")


def test_a_missing_file(tmp_path):
    with pytest.raises(StatementError, match="cannot read it"):
        read_statement(tmp_path / "nope.xml")


# Two credits that say the same (a client who paid the same invoice twice) in a statement that gives them no
# bank reference: MT940 NONREF, a CSV without a reference column, CAMT without AcctSvcrRef or NtryRef.
CSV_MAPPING = CsvMapping("Buchungstag", "Betrag", "Name", "Verwendungszweck", delimiter=";", decimal=",")
TWICE = {
    "umsaetze.csv": "Buchungstag;Name;Verwendungszweck;Betrag\n"
                    "01.12.2026;Mehmet Yilmaz;Rechnung INV-2026-0016;52,00\n"
                    "01.12.2026;Mehmet Yilmaz;Rechnung INV-2026-0016;52,00\n"
                    "01.12.2026;Anna Meier;Rechnung INV-2026-0001;65,00\n"
                    "01.12.2026;Mehmet Yilmaz;Rechnung INV-2026-0016;52,00\n",
    "auszug.sta": ":20:STARTUMSE\n:25:37040044/0532013000\n:28C:00001/001\n:60F:C261130EUR1000,00\n"
                  ":61:2612011201CR52,00NTRFNONREF//\n:86:166?00GUTSCHRIFT?20Rechnung INV-2026-0016?32Mehmet Yilmaz\n"
                  ":61:2612011201CR52,00NTRFNONREF//\n:86:166?00GUTSCHRIFT?20Rechnung INV-2026-0016?32Mehmet Yilmaz\n"
                  ":61:2612011201CR65,00NTRFNONREF//\n:86:166?00GUTSCHRIFT?20Rechnung INV-2026-0001?32Anna Meier\n"
                  ":61:2612011201CR52,00NTRFNONREF//\n:86:166?00GUTSCHRIFT?20Rechnung INV-2026-0016?32Mehmet Yilmaz\n"
                  ":62F:C261201EUR1221,00\n-\n",
    "camt.xml": '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>'
                + "".join(f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
                          f"<BookgDt><Dt>2026-12-01</Dt></BookgDt><NtryDtls><TxDtls>"
                          f"<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr></RltdPties>"
                          f"<RmtInf><Ustrd>Rechnung {invoice}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
                          for amount, name, invoice in [("52.00", "Mehmet Yilmaz", "INV-2026-0016")] * 2
                          + [("65.00", "Anna Meier", "INV-2026-0001"), ("52.00", "Mehmet Yilmaz", "INV-2026-0016")])
                + "</Stmt></BkToCstmrStmt></Document>",
}


def stored_digest(day: str, amount: str, name: str, said: str) -> str:
    """The identity earlier versions stored in the Bank tab for an entry without a bank reference."""
    return "sha:" + hashlib.sha256("\n".join((day, amount, "EUR", name, said, "")).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", list(TWICE))
def test_identical_entries_without_a_bank_reference_each_have_their_own_identity(tmp_path, name):
    (tmp_path / name).write_text(TWICE[name])
    entries = read_statement(tmp_path / name, CSV_MAPPING, "EUR")
    first = stored_digest("2026-12-01", "52.00", "Mehmet Yilmaz", "Rechnung INV-2026-0016")
    assert [e.key for e in entries] == [
        first,  # the first keeps the identity an earlier version gave it
        first + "#2", stored_digest("2026-12-01", "65.00", "Anna Meier", "Rechnung INV-2026-0001"), first + "#3"]
    assert [e.key for e in read_statement(tmp_path / name, CSV_MAPPING, "EUR")] == [e.key for e in entries]


@pytest.mark.parametrize("references, keys", [
    (["R-1", "R-2"], ["R-1", "R-2"]),
    (["R-1", "R-1"], ["R-1", "R-1#2"]),  # a column that is not the bank's reference: both entries still count
    (["", "R-1"], [stored_digest("2026-12-01", "52.00", "Mehmet Yilmaz", "Rechnung INV-2026-0016"), "R-1"]),
])
def test_a_reference_given_twice_in_one_file_is_numbered_too(tmp_path, references, keys):
    rows = "".join(f"01.12.2026;Mehmet Yilmaz;Rechnung INV-2026-0016;52,00;{r}\n" for r in references)
    (tmp_path / "s.csv").write_text("Buchungstag;Name;Verwendungszweck;Betrag;Referenz\n" + rows)
    mapping = CsvMapping("Buchungstag", "Betrag", "Name", "Verwendungszweck", "Referenz", delimiter=";", decimal=",")
    assert [e.key for e in read_statement(tmp_path / "s.csv", mapping, "EUR")] == keys


# A bank that numbers the entries of each statement (NtryRef 1, 2, ...) and gives no AcctSvcrRef.
def camt(*statements: list[tuple]) -> str:
    """A CAMT.053 document; each statement a list of (NtryRef, AcctSvcrRef, day, amount, CRDT/DBIT, payers)."""
    def entry(ntry_ref, svcr_ref, day, amount, sign, payers):
        details = "".join(f"<TxDtls><Amt Ccy='EUR'>{a}</Amt><CdtDbtInd>{sign}</CdtDbtInd>"
                          f"<RltdPties><Dbtr><Nm>{p}</Nm></Dbtr></RltdPties></TxDtls>" for p, a in payers)
        return (f"<Ntry>{f'<NtryRef>{ntry_ref}</NtryRef>' if ntry_ref else ''}<Amt Ccy='EUR'>{amount}</Amt>"
                f"<CdtDbtInd>{sign}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt>"
                f"{f'<AcctSvcrRef>{svcr_ref}</AcctSvcrRef>' if svcr_ref else ''}<NtryDtls>{details}</NtryDtls></Ntry>")
    return ("<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'><BkToCstmrStmt>"
            + "".join(f"<Stmt><Id>S-{n}</Id>{''.join(entry(*e) for e in s)}</Stmt>" for n, s in enumerate(statements))
            + "</BkToCstmrStmt></Document>")


@pytest.mark.parametrize("entry, keys", [
    (("1", "", "2026-12-01", "52.00", "CRDT", [("Mehmet Yilmaz", "52.00")]), [("1/2026-12-01/52.00", "1")]),
    (("3", "", "2026-12-01", "12.00", "DBIT", [("Stadtwerke", "12.00")]), [("3/2026-12-01/-12.00", "3")]),
    (("1", "A-77", "2026-12-01", "52.00", "CRDT", [("Mehmet Yilmaz", "52.00")]), [("A-77", "")]),  # the bank's
    (("7", "", "2026-12-01", "130.00", "CRDT", [("A", "65.00"), ("B", "65.00")]),  # a batch
     [("7/2026-12-01/130.00/1", "7/1"), ("7/2026-12-01/130.00/2", "7/2")]),
    (("1", "", "2026-12-01", "52", "CRDT", [("Mehmet Yilmaz", "52")]), [("1/2026-12-01/52.00", "1")]),
    (("", "", "2026-12-01", "52.00", "CRDT", [("Mehmet Yilmaz", "52.00")]),  # none: known by what it says
     [(stored_digest("2026-12-01", "52.00", "Mehmet Yilmaz", ""), "")]),
])
def test_an_entry_number_of_the_statement_is_an_identity_with_its_day_and_amount(tmp_path, entry, keys):
    (tmp_path / "s.xml").write_text(camt([entry]))
    assert [(e.key, e.old_ref) for e in read_statement(tmp_path / "s.xml", currency="EUR")] == keys


def test_the_same_entry_number_in_a_later_statement_is_another_entry(tmp_path):
    (tmp_path / "s.xml").write_text(camt([("1", "", "2026-12-01", "52.00", "CRDT", [("Mehmet Yilmaz", "52.00")])],
                                         [("1", "", "2026-12-02", "65.00", "CRDT", [("Anna Meier", "65.00")])]))
    assert [e.key for e in read_statement(tmp_path / "s.xml")] == ["1/2026-12-01/52.00", "1/2026-12-02/65.00"]


SPARKASSE = (FILES / "camt053_v02_sparkasse.xml").read_text()
BATCH = (FILES / "camt053_v08_batch.xml").read_text()
ENTRY_2 = '<Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
TX_2 = '<Amt Ccy="EUR">65.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n            <RltdPties><Dbtr><Pty><Nm>Unknown'
T61 = "(value date YYMMDD, entry date MMDD if any, C or D, amount like 65,00, type like NTRF, reference)"
MT940 = (FILES / "mt940_deutsche.sta").read_text()


@pytest.mark.parametrize("name, text, message", [
    ("s.xml", SPARKASSE.replace(ENTRY_2, ENTRY_2.replace("30.00", "21,00")),
     "s.xml: entry 2 (2026112100002): amount '21,00' is not a number like 21.00"),
    ("s.xml", SPARKASSE.replace(ENTRY_2, ENTRY_2.replace("30.00", "NaN")),
     "s.xml: entry 2 (2026112100002): amount 'NaN' is not a number like 65.00"),
    ("s.xml", SPARKASSE.replace(ENTRY_2, ENTRY_2.replace("30.00", "Infinity")),
     "s.xml: entry 2 (2026112100002): amount 'Infinity' is not a number like 65.00"),
    ("s.xml", SPARKASSE.replace(ENTRY_2, ENTRY_2.replace("30.00", "-30.00")),
     "s.xml: entry 2 (2026112100002): amount '-30.00' has a sign; CAMT writes it without one (CdtDbtInd says "
     "credit or debit)"),
    ("s.xml", SPARKASSE.replace(ENTRY_2, ENTRY_2.replace("30.00", "")), "s.xml: entry 2 (2026112100002): no amount"),
    ("s.xml", SPARKASSE.replace("<BookgDt><Dt>2026-11-21</Dt></BookgDt>", "<BookgDt><Dt>2026-13-01</Dt></BookgDt>", 1),
     "s.xml: entry 1 (2026112100001): booking date '2026-13-01' is not a date like 2026-11-21"),
    ("b.xml", BATCH.replace(TX_2, TX_2.replace("65.00", "65,00")),
     "b.xml: entry 1 (B77): transaction 2: amount '65,00' is not a number like 65.00"),
    ("m.sta", MT940.replace(":61:2611211121CR30,00", ":61:26112X1121CR30,00"),
     f"m.sta: line 7, transaction 2: ':61:26112X1121CR30,00NTRFNONREF//BANKREF-2' is not a transaction line as "
     f"MT940 writes it {T61}"),
    ("m.sta", MT940.replace(":61:2611211121CR30,00", ":61:2613211121CR30,00"),
     f"m.sta: line 7, transaction 2: ':61:2613211121CR30,00NTRFNONREF//BANKREF-2' is not a transaction line as "
     f"MT940 writes it {T61}; month must be in 1..12"),
    ("m.sta", MT940.replace(":61:2611211121CR30,00", ":61:2611211121CR30,0,0"),
     f"m.sta: line 7, transaction 2: ':61:2611211121CR30,0,0NTRFNONREF//BANKREF-2' is not a transaction line as "
     f"MT940 writes it {T61}; its amount is not a number like 65,00"),
    ("m.sta", MT940.replace(":60F:C261120EUR", ":60F:C2611EUR"),
     "m.sta: line 4: ':60F:C2611EUR1000,00' is not a balance as MT940 writes it (C or D, date YYMMDD, currency, "
     "amount like 1000,00)"),
])
def test_a_bad_entry_is_one_line_naming_the_file_the_entry_and_what_is_wrong(tmp_path, caplog, name, text, message):
    (tmp_path / name).write_text(text)
    with caplog.at_level(logging.DEBUG), pytest.raises(StatementError) as raised:
        read_statement(tmp_path / name)
    assert str(raised.value) == message
    assert not [r for r in caplog.records if r.name.startswith("mt940")]  # nor the package's patterns in the log
