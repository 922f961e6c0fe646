"""`sheetbill preview` on a Google Sheet (the local fake): the real sheet is read,
nothing is written to Sheets, Drive, Docs or Gmail, and the listing is what
the next run then does."""

from __future__ import annotations

from sheetbill.preview import listing, preview
from tests.fakegoogle import humans

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)
from .test_preview import same_run

pytest_plugins = ["tests.conftest_google"]

READS = {"sheets.spreadsheets.get", "sheets.spreadsheets.getByDataFilter", "sheets.spreadsheets.values.get",
         "sheets.spreadsheets.values.batchGet", "sheets.spreadsheets.values.batchGetByDataFilter",
         "drive.files.list", "drive.files.get", "gmail.users.messages.list", "gmail.users.messages.get"}


def test_preview_reads_the_sheet_writes_nothing_and_matches_the_run(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"), session("S-00002", "2026-11-03", client="C-002"))
    p.run()
    p.append("Sessions", session("S-00003", "2026-11-04"), session("S-00004", "2026-11-05", client="Bob"))
    p.append("Payments", ["P-00001", "2026-11-10", "", "INV-2026-0001", "65", "Card"])
    humans.type_values(p.fake.state, p.spreadsheet_id, "Invoices", 2, 8, [["1"]])  # INV-2026-0002's Total
    humans.type_values(p.fake.state, p.spreadsheet_id, "Invoices", 1, 13, [["", ""]])  # send INV-2026-0001 again
    before = {tab: p.values(tab) for tab in ("Sessions", "Invoices", "Lines", "Payments", "Changelog", "_sheetbill")}
    pdfs, mails = p.pdfs(), len(p.emails())
    p.fake.calls.clear()

    result = preview(p.config, p.clock, google=p.google())

    called = set(p.fake.calls.snapshot()["methods"])
    assert called <= READS, called - READS
    assert {tab: p.values(tab) for tab in before} == before
    assert p.pdfs() == pdfs and len(p.emails()) == mails
    seen = result.report
    assert {a.kind for a in seen.actions} >= {"restored", "invoice", "payment", "receipt", "pdf", "email"}
    assert [pr.key for pr in seen.problems] == ["S-00004"]
    text = "\n".join(listing(result, p.config))
    assert "  INV-2026-0003  C-001 Anna Meier  65.00 EUR  sessions S-00003" in text
    assert [a.reference for a in seen.actions if a.kind == "pdf"] == ["INV-2026-0003"]  # 0001's is in Drive
    assert "INV-2026-0001" in [a.reference for a in seen.actions if a.kind == "email"]

    same_run(seen, p.run())
