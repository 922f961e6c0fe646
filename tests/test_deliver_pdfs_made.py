"""deliver.pdfs_made: a PDF a stopped run kept is used again only for the same document, made the
same way, and only while it is the very file that was made."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sheetbill.book.cache import Cache
from sheetbill.deliver import pdfs_made
from sheetbill.deliver.pdfs_made import KEY, PdfsMade
from sheetbill.render.sample import sample_document

DOC = sample_document()
NO = DOC.invoice.invoice_no


def made(tmp_path, made_of="template-1", waiting=(NO,)) -> PdfsMade:
    return PdfsMade(Cache(tmp_path / "cache"), made_of, waiting)


def test_a_pdf_is_used_again_for_the_same_document_made_the_same_way(tmp_path):
    first = made(tmp_path)
    first.add(NO, first.key(DOC), b"%PDF one")
    first.save()
    again = made(tmp_path)
    assert again.kept(NO, again.key(DOC), lambda: b"%PDF one") == b"%PDF one"
    assert again.key(replace(DOC, invoice=replace(DOC.invoice, pdf="invoices/x.pdf", sent_at="2026-11-21",
                                                  message_id="<m>", row=7))) == again.key(DOC)  # not shown


def test_a_pdf_is_made_anew_when_what_it_shows_or_how_it_is_made_changed_or_the_file_did(tmp_path):
    first = made(tmp_path)
    first.add(NO, first.key(DOC), b"%PDF one")
    first.save()
    paid = replace(DOC, paid=Decimal("10.00"))
    assert made(tmp_path).kept(NO, made(tmp_path).key(paid), lambda: b"%PDF one") is None
    other = made(tmp_path, made_of="template-2")
    assert other.kept(NO, other.key(DOC), lambda: b"%PDF one") is None
    same = made(tmp_path)
    assert same.kept(NO, same.key(DOC), lambda: b"%PDF edited by hand") is None
    assert same.kept(NO, same.key(DOC), lambda: None) is None  # no file kept any more
    never = made(tmp_path, made_of="")  # a renderer that cannot tell (Google Docs)
    assert never.key(DOC) == "" and never.kept(NO, never.key(DOC), lambda: b"%PDF one") is None


def test_only_invoices_still_waiting_are_remembered_and_the_record_is_written_as_it_goes(tmp_path, monkeypatch):
    first = made(tmp_path, waiting=(NO, "INV-2026-0043"))
    first.add(NO, first.key(DOC), b"%PDF one")
    first.add("INV-2026-0043", "k43", b"%PDF two")
    first.save()
    assert set(Cache(tmp_path / "cache").get(KEY)) == {NO, "INV-2026-0043"}
    later = made(tmp_path, waiting=("INV-2026-0043",))  # INV-2026-0042 was sent since
    later.save()
    assert set(Cache(tmp_path / "cache").get(KEY)) == {"INV-2026-0043"}
    monkeypatch.setattr(pdfs_made, "EVERY", 2)
    going = made(tmp_path, waiting=())
    going.add("A", "ka", b"a")
    assert set(Cache(tmp_path / "cache").get(KEY)) == {"INV-2026-0043"}  # not yet written
    going.add("B", "kb", b"b")
    assert set(Cache(tmp_path / "cache").get(KEY)) == {"A", "B"}  # written every EVERY PDFs: a kill loses few
