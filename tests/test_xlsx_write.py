"""patch_workbook: what Excel would see (read back with openpyxl), and that
nothing but the touched rows changes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.table import Table

from sheetbill.book.xlsx import (
    NewSheet,
    SheetEdit,
    SheetNotFound,
    UnsupportedEdit,
    lost_parts,
    patch_workbook,
    read_sheets,
)

from .test_xlsx_kit import CALC_CHAIN_CT, CALC_CHAIN_REL, MAIN, build_xlsx, member, members, sheet_xml

D = Decimal
SHEET1 = "xl/worksheets/sheet1.xml"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sessions"
    ws.append(["Session ID", "Date", "Client", "Amount", "Invoice No", "Total"])
    for n in range(2, 6):
        ws.append([f"S-{n}", date(2026, 11, n), "Anna", 10 * n, None, f"=D{n}*2"])
    ws["E2"].font = Font(bold=True)
    ws["E2"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.column_dimensions["C"].width = 30
    ws.merge_cells("H1:I1")
    wb.create_sheet("Clients").append(["Client ID", "Name"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def patched(src: Path, edits, add=()) -> Path:
    dst = src.with_name("out.xlsx")
    patch_workbook(src, dst, edits, add)
    assert lost_parts(src, dst) == []
    return dst


def test_updates_and_appends_as_excel_sees_them(book: Path) -> None:
    edit = SheetEdit(
        updates={(2, 4): "INV-1", (3, 3): D("12.50"), (4, 2): "=1+1", (5, 2): None},
        appends=[["S-9", date(2026, 12, 1), "+49 30", D("7"), "-x", datetime(2026, 12, 1, 9, 30)]],
        money_columns=frozenset({3}),
    )
    ws = openpyxl.load_workbook(patched(book, {"Sessions": edit}))["Sessions"]
    assert ws["E2"].value == "INV-1"
    assert ws["E2"].font.b and ws["E2"].fill.fgColor.rgb == "00FFFF00"
    assert ws["D3"].value == 12.5 and ws["D3"].number_format == "#,##0.00"
    assert ws["C4"].value == "=1+1" and ws["C4"].data_type == "s"
    assert ws["C5"].value is None
    appended = ["S-9", datetime(2026, 12, 1), "+49 30", 7, "-x", datetime(2026, 12, 1, 9, 30)]
    assert [c.value for c in ws[6][:6]] == appended
    assert ws["B6"].number_format == "mm-dd-yy" and ws["F6"].number_format == "m/d/yy h:mm"
    assert ws["F3"].value == "=D3*2"
    assert ws.column_dimensions["C"].width == 30 and "H1:I1" in ws.merged_cells
    assert ws.max_row == 6


def test_values_read_back_with_their_types(book: Path) -> None:
    values = ["t", D("0.1"), D("-12.50"), 3, True, False, date(1900, 3, 1), datetime(2026, 1, 2, 3, 4, 5, 6000)]
    dst = patched(book, {"Clients": SheetEdit(appends=[values])})
    row = read_sheets(dst, ["Clients"]).sheets["Clients"].rows[1]
    assert row == (2, ("t", D("0.1"), D("-12.50"), D("3"), *values[4:]))
    xml = member(dst, "xl/worksheets/sheet2.xml").decode()
    assert '<c r="B2"><v>0.1</v></c><c r="C2"><v>-12.50</v></c>' in xml


def test_dates_in_the_1904_system(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active["A1"] = "when"
    wb.save(tmp_path / "mac.xlsx")
    dst = patched(tmp_path / "mac.xlsx", {"Sheet": SheetEdit(appends=[[date(2026, 11, 3), datetime(2026, 11, 3, 8)]])})
    ws = openpyxl.load_workbook(dst)["Sheet"]
    assert (ws["A2"].value, ws["B2"].value) == (datetime(2026, 11, 3), datetime(2026, 11, 3, 8))
    assert read_sheets(dst).sheets["Sheet"].rows[1] == (2, (date(2026, 11, 3), datetime(2026, 11, 3, 8)))


def test_text_is_escaped_and_cleaned(book: Path) -> None:
    text = "a < b & c > d\x01\x0b_x0041_\r\n\t  end  "
    dst = patched(book, {"Clients": SheetEdit(updates={(2, 0): text})})
    assert read_sheets(dst).sheets["Clients"].rows[1] == (2, ("a < b & c > d_x0041_\r\n\t  end  ",))
    assert openpyxl.load_workbook(dst)["Clients"]["A2"].value == "a < b & c > d_x005F_x0041_\r\n\t  end  "


@pytest.mark.parametrize(("text", "preserved"), [
    ("INV-2026-0001", False), ("Anna Meier", False), (" lead", True), ("trail ", True),
    ("two\nlines", True), ("a\tb", True), ("a  b", True), ("x\r", True)])
def test_whitespace_survives_and_the_attribute_is_written_only_where_needed(book: Path, text: str,
                                                                            preserved: bool) -> None:
    dst = patched(book, {"Clients": SheetEdit(updates={(2, 0): text})})
    assert read_sheets(dst).sheets["Clients"].rows[1] == (2, (text,))
    assert openpyxl.load_workbook(dst)["Clients"]["A2"].value == text
    assert ('xml:space="preserve"' in member(dst, "xl/worksheets/sheet2.xml").decode()) is preserved


def test_untouched_parts_and_bytes_stay_identical(book: Path) -> None:
    dst = patched(book, {"Sessions": SheetEdit(updates={(3, 4): "INV-2"})})
    before, after = members(book), members(dst)
    assert list(before) == list(after)
    changed = {name for name in before if before[name] != after[name]}
    assert SHEET1 in changed and changed <= {SHEET1, "xl/workbook.xml"}
    old, new = before[SHEET1].decode(), after[SHEET1].decode()
    row3 = re.search(r'<row r="3".*?</row>', old).group(0)
    new_row3 = re.search(r'<row r="3".*?</row>', new).group(0)
    assert new == old.replace(row3, new_row3)
    assert '<c r="E3" t="inlineStr"><is><t>INV-2</t></is></c>' in new_row3
    with zipfile.ZipFile(book) as a, zipfile.ZipFile(dst) as b:
        assert a.getinfo("xl/styles.xml").compress_size == b.getinfo("xl/styles.xml").compress_size


class _Unseekable(io.RawIOBase):
    """A stream zipfile cannot seek in, so it writes data descriptors."""

    def __init__(self, target: io.BufferedIOBase) -> None:
        self.target = target

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.target.write(data)


def test_members_written_in_unusual_ways_are_copied_intact(book: Path, tmp_path: Path) -> None:
    """Data descriptors, stored members and extra fields in the source zip."""
    odd = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(book) as old, open(odd, "wb") as raw, zipfile.ZipFile(_Unseekable(raw), "w") as new:
        for info in old.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_STORED if info.filename.endswith(".rels") else zipfile.ZIP_DEFLATED
            copy.extra = b"UT\x05\x00\x01\x00\x00\x00\x00"
            new.writestr(copy, old.read(info))
    with zipfile.ZipFile(odd) as check:
        assert all(info.flag_bits & 0x08 for info in check.infolist())
    dst = patched(odd, {"Sessions": SheetEdit(updates={(2, 4): "INV-1"})})
    with zipfile.ZipFile(dst) as result:
        assert result.testzip() is None
        assert result.getinfo("_rels/.rels").compress_type == zipfile.ZIP_STORED
    before, after = members(odd), members(dst)
    assert all(before[name] == after[name] for name in before if name not in (SHEET1, "xl/workbook.xml"))
    assert openpyxl.load_workbook(dst)["Sessions"]["E2"].value == "INV-1"


def test_rows_created_in_the_middle_and_cells_in_order(tmp_path: Path) -> None:
    rows = '<row r="2" spans="1:3"><c r="A2"><v>1</v></c><c r="C2"><v>3</v></c></row>'
    rows += '<row r="9"><c r="A9"><v>9</v></c></row>'
    src = build_xlsx(tmp_path / "gaps.xlsx", {"S": sheet_xml(rows, before='<dimension ref="A2:C9"/>')})
    dst = patched(src, {"S": SheetEdit(updates={(5, 1): D("5"), (2, 1): D("2"), (1, 4): "head", (12, 0): D("12")})})
    xml = member(dst, SHEET1).decode()
    assert re.findall(r'<row r="(\d+)"', xml) == ["1", "2", "5", "9", "12"]
    assert '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c><c r="C2"><v>3</v></c></row>' in xml
    assert '<dimension ref="A1:E12"/>' in xml
    ws = openpyxl.load_workbook(dst)["S"]
    assert [ws.cell(r, 1).value for r in (2, 9, 12)] == [1, 9, 12] and ws["B5"].value == 5


def test_empty_sheet_data_and_appends(tmp_path: Path) -> None:
    src = build_xlsx(tmp_path / "e.xlsx", {"E": sheet_xml("")})
    dst = patched(src, {"E": SheetEdit(appends=[["a", D("1")], ["b"]])})
    assert read_sheets(dst).sheets["E"].rows == [(1, ("a", D("1"))), (2, ("b",))]


def test_appends_go_after_the_last_used_row_into_preformatted_rows(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>'
        '<row r="2"><c r="A2" s="4"/><c r="B2" s="1"/></row><row r="3" ht="20" customHeight="1"/>'
    )
    cols = '<cols><col min="3" max="3" width="12" style="4" customWidth="1"/></cols>'
    src = build_xlsx(tmp_path / "pre.xlsx", {"S": sheet_xml(rows, before=cols)})
    dst = patched(src, {"S": SheetEdit(appends=[["x", date(2026, 1, 2), "c"], ["y"]])})
    ws = openpyxl.load_workbook(dst)["S"]
    assert ws["A2"].value == "x" and ws["A2"].font.b
    assert ws["B2"].number_format == "dd/mm/yyyy" and ws["B2"].value == datetime(2026, 1, 2)
    assert ws["C2"].font.b
    assert ws["A3"].value == "y" and ws.row_dimensions[3].height == 20


def test_numbers_over_a_date_format_get_general(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1" s="1"><v>46000</v></c><c r="B1" s="3"><v>5</v></c></row>'
    src = build_xlsx(tmp_path / "d.xlsx", {"S": sheet_xml(rows)})
    dst = patched(src, {"S": SheetEdit(updates={(1, 0): D("7"), (1, 1): D("8")}, money_columns=frozenset({1}))})
    ws = openpyxl.load_workbook(dst)["S"]
    assert ws["A1"].number_format == "General" and ws["B1"].number_format == '"day "0'
    assert read_sheets(dst).sheets["S"].rows == [(1, (D("7"), D("8")))]


def test_prefixed_namespace_rows_are_patched_with_the_prefix(tmp_path: Path) -> None:
    xml = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1:B2"/><x:sheetData>'
        '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="2"><x:c r="B2"><x:v>2</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    src = build_xlsx(tmp_path / "p.xlsx", {"P": xml})
    dst = patched(src, {"P": SheetEdit(updates={(1, 1): "b", (2, 0): date(2026, 1, 1)}, appends=[["z"]])})
    root = etree.fromstring(member(dst, SHEET1))
    cells = root.findall(f".//{{{MAIN}}}c")
    assert [c.get("r") for c in cells] == ["A1", "B1", "A2", "B2", "A3"]
    assert read_sheets(dst).sheets["P"].rows == [(1, (D("1"), "b")), (2, (date(2026, 1, 1), D("2"))), (3, ("z",))]


def test_cells_without_r_get_one_when_their_row_changes(tmp_path: Path) -> None:
    rows = '<row><c><v>1</v></c><c><v>3</v></c></row><row><c><v>5</v></c></row>'
    src = build_xlsx(tmp_path / "nor.xlsx", {"S": sheet_xml(rows)})
    dst = patched(src, {"S": SheetEdit(updates={(1, 2): D("4"), (3, 0): D("6")})})
    assert read_sheets(dst).sheets["S"].rows == [(1, (D("1"), D("3"), D("4"))), (2, (D("5"),)), (3, (D("6"),))]


def shared_formula_book(tmp_path: Path) -> Path:
    """B1:B4 filled down from B1 (one shared formula), with a calculation chain."""
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B4" si="0">A1*2</f><v>2</v></c></row>'
    dependent = '<row r="{0}"><c r="A{0}"><v>{0}</v></c><c r="B{0}"><f t="shared" si="0"/></c></row>'
    rows += "".join(dependent.format(r) for r in (2, 3, 4))
    return build_xlsx(
        tmp_path / "shared.xlsx",
        {"S": sheet_xml(rows)},
        extra={"xl/calcChain.xml": f'<calcChain xmlns="{MAIN}"><c r="B1" i="1"/></calcChain>'},
        content_types=CALC_CHAIN_CT,
        workbook_rels=CALC_CHAIN_REL,
    )


def test_overwriting_a_shared_formula_master_keeps_its_dependents(tmp_path: Path) -> None:
    src = shared_formula_book(tmp_path)
    dst = patched(src, {"S": SheetEdit(updates={(1, 1): D("0")})})
    ws = openpyxl.load_workbook(dst)["S"]
    assert [ws.cell(r, 2).value for r in range(1, 5)] == [0, "=A2*2", "=A3*2", "=A4*2"]
    names = zipfile.ZipFile(dst).namelist()
    assert "xl/calcChain.xml" not in names
    assert b"calcChain" not in member(dst, "[Content_Types].xml")
    assert b"calcChain" not in member(dst, "xl/_rels/workbook.xml.rels")
    assert b'fullCalcOnLoad="1"' in member(dst, "xl/workbook.xml")


def test_calc_chain_is_kept_when_no_formula_changes(tmp_path: Path) -> None:
    src = shared_formula_book(tmp_path)
    dst = patched(src, {"S": SheetEdit(updates={(1, 0): D("10")})})
    assert member(dst, "xl/calcChain.xml") == member(src, "xl/calcChain.xml")


def test_array_formulas_cannot_be_written_into(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><f t="array" ref="A1:A2">{1;2}</f><v>1</v></c></row>'
    rows += '<row r="2"><c r="A2"><v>2</v></c></row>'
    src = build_xlsx(tmp_path / "arr.xlsx", {"S": sheet_xml(rows)})
    with pytest.raises(UnsupportedEdit, match="array formula in A1"):
        patch_workbook(src, tmp_path / "out.xlsx", {"S": SheetEdit(updates={(2, 0): D("5")})})
    assert not (tmp_path / "out.xlsx").exists()
    dst = patched(src, {"S": SheetEdit(updates={(1, 0): D("5")})})
    assert read_sheets(dst).sheets["S"].rows == [(1, (D("5"),)), (2, (D("2"),))]


def test_tables_grow_over_appended_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Invoices"
    ws.append(["No", "Total"])
    ws.append(["I-1", 10])
    ws.add_table(Table(displayName="Invoices", ref="A1:B2"))
    other = wb.create_sheet("Other")
    other.append(["a"])
    other.append(["b"])
    other.append(["c"])
    other.add_table(Table(displayName="Short", ref="A1:A2"))
    src = tmp_path / "tables.xlsx"
    wb.save(src)
    edits = {"Invoices": SheetEdit(appends=[["I-2", D("20")], ["I-3", D("30")]]), "Other": SheetEdit(appends=[["d"]])}
    dst = patched(src, edits)
    out = openpyxl.load_workbook(dst)
    assert out["Invoices"].tables["Invoices"].ref == "A1:B4"
    assert out["Invoices"].tables["Invoices"].autoFilter.ref == "A1:B4"
    assert out["Other"].tables["Short"].ref == "A1:A2"


def test_new_sheet_is_added_hidden_with_a_bold_header(book: Path) -> None:
    dst = patched(book, {}, [NewSheet("_sheetbill", ["key", "value"], hidden=True), NewSheet("Changelog", ["At"])])
    wb = openpyxl.load_workbook(dst)
    assert wb.sheetnames == ["Sessions", "Clients", "_sheetbill", "Changelog"]
    assert wb["_sheetbill"].sheet_state == "hidden" and wb["Changelog"].sheet_state == "visible"
    assert [c.value for c in wb["_sheetbill"][1]] == ["key", "value"] and wb["_sheetbill"]["A1"].font.b
    book_read = read_sheets(dst)
    assert book_read.hidden == {"_sheetbill"} and book_read.sheets["Changelog"].max_row == 1
    again = dst.with_name("again.xlsx")
    patch_workbook(dst, again, {"_sheetbill": SheetEdit(appends=[["lease", "w1"]])})
    assert read_sheets(again).sheets["_sheetbill"].rows == [(1, ("key", "value")), (2, ("lease", "w1"))]


def test_edits_may_name_a_sheet_added_in_the_same_write(book: Path) -> None:
    edits = {"_state": SheetEdit(updates={(1, 2): "extra"}, appends=[["lease", D("1")]])}
    dst = patched(book, edits, [NewSheet("_state", ["key", "value"], hidden=True)])
    assert read_sheets(dst).sheets["_state"].rows == [(1, ("key", "value", "extra")), (2, ("lease", D("1")))]


@pytest.mark.parametrize("name", ["", "a" * 32, "a/b", "'quoted'", "history", "sessions"])
def test_bad_new_sheet_names_are_refused(book: Path, name: str) -> None:
    with pytest.raises(UnsupportedEdit):
        patch_workbook(book, book.with_name("out.xlsx"), {}, [NewSheet(name, ["x"])])


def test_workbook_without_styles_gets_one(tmp_path: Path) -> None:
    src = build_xlsx(tmp_path / "nostyle.xlsx", {"S": sheet_xml("")}, styles=None)
    dst = patched(src, {"S": SheetEdit(appends=[[date(2026, 5, 1), D("3")]], money_columns=frozenset({1}))})
    ws = openpyxl.load_workbook(dst)["S"]
    assert ws["A1"].value == datetime(2026, 5, 1) and ws["B1"].number_format == "#,##0.00"


def test_refusals(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    with pytest.raises(SheetNotFound):
        patch_workbook(book, out, {"Nope": SheetEdit(updates={(1, 0): "x"})})
    with pytest.raises(UnsupportedEdit, match="time zone"):
        patch_workbook(book, out, {"Sessions": SheetEdit(updates={(1, 0): datetime(2026, 1, 1, tzinfo=UTC)})})
    with pytest.raises(UnsupportedEdit, match="before 1900"):
        patch_workbook(book, out, {"Sessions": SheetEdit(updates={(1, 0): date(1899, 1, 1)})})
    with pytest.raises(TypeError, match="float"):
        patch_workbook(book, out, {"Sessions": SheetEdit(updates={(1, 0): 1.5})})  # type: ignore[dict-item]
    with pytest.raises(UnsupportedEdit, match="both updated and appended"):
        patch_workbook(book, out, {"Sessions": SheetEdit(updates={(6, 0): "x"}, appends=[["y"]])})
    assert not out.exists()
    before = book.read_bytes()
    with pytest.raises(UnsupportedEdit, match="new file"):
        patch_workbook(book, book, {"Sessions": SheetEdit(updates={(1, 0): "x"})})
    assert book.read_bytes() == before


@pytest.mark.parametrize("tail", ["used", "empty rows", "rows without r"])
def test_appends_to_a_long_sheet_look_only_at_its_end_and_write_what_a_full_scan_writes(
        tmp_path: Path, monkeypatch, tail: str) -> None:
    from sheetbill.book.xlsx import sheetpatch, writer

    monkeypatch.setattr(writer, "stream_window", lambda *a: None)  # the whole part read (a sheet of a few MB)

    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>r{n}</t></is></c></row>' for n in range(1, 400))
    rows += {"used": "", "empty rows": "".join(f'<row r="{n}" ht="20" customHeight="1"/>' for n in range(400, 410)),
             "rows without r": "<row><c t=\"inlineStr\"><is><t>last</t></is></c></row>"}[tail]
    src = build_xlsx(tmp_path / "long.xlsx", {"S": sheet_xml(rows)})
    edit = {"S": SheetEdit(appends=[["x", D("1")], ["y"]])}
    full = patched(src, edit).read_bytes()
    monkeypatch.setattr(sheetpatch, "_TAIL", 1000)  # the sheet data is many times that
    scanned = []
    real_rows = sheetpatch._Rows
    monkeypatch.setattr(sheetpatch, "_Rows", lambda data, p, start, end, s: scanned.append(start) or real_rows(
        data, p, start, end, s))
    assert patched(src, edit).read_bytes() == full
    assert (len(scanned) == 1 and scanned[0] > 10_000) is (tail != "rows without r")


def test_a_part_read_in_place_is_the_part(book: Path) -> None:
    from sheetbill.book.xlsx import package as package_mod

    with package_mod.Package(book) as package:
        for sheet in package.sheets:
            assert package.read_in_place(sheet.part) == package.read(sheet.part)


def test_edits_asked_for_last_are_written_as_if_given_with_the_rest(book: Path) -> None:
    """A commit's state, made in a helper process meanwhile, is asked for only once the
    other sheets are patched; the workbook is the one it would be had it been given at once."""
    sessions = SheetEdit(updates={(2, 5): "INV-1"}, appends=[["S-6", date(2026, 11, 6), "Bo", D("12.50")]])
    clients = SheetEdit(appends=[["C-2", "Bo"], ["C-3", "Cy"]])
    at_once = book.with_name("at-once.xlsx")
    patch_workbook(book, at_once, {"Sessions": sessions, "Clients": clients})
    calls: list[str] = []
    later = book.with_name("later.xlsx")
    patch_workbook(book, later, {"Sessions": sessions}, meanwhile=lambda: calls.append("meanwhile"),
                   last=lambda: calls.append("last") or {"Clients": clients})
    assert calls == ["last", "meanwhile"]
    assert members(later) == members(at_once)
    assert read_sheets(later).sheets["Clients"].rows[-1] == (3, ("C-3", "Cy"))


def test_a_sheet_asked_for_last_must_be_there_and_edited_once(book: Path) -> None:
    edit = SheetEdit(appends=[["C-2", "Bo"]])
    with pytest.raises(SheetNotFound):
        patch_workbook(book, book.with_name("a.xlsx"), {"Sessions": edit}, last=lambda: {"Payments": edit})
    with pytest.raises(UnsupportedEdit, match="twice"):
        patch_workbook(book, book.with_name("b.xlsx"), {"Clients": edit}, last=lambda: {"Clients": edit})
    assert not book.with_name("a.xlsx").exists() and not book.with_name("b.xlsx").exists()
