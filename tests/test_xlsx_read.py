"""read_sheets: values, types, dates, sheet list, and the two readers agreeing."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from sheetbill.book.xlsx import CellError, FormulaNoValue, NotAWorkbook, read_sheets
from sheetbill.book.xlsx.cells_fast import NotCanonical, read_fast
from sheetbill.book.xlsx.cells_slow import read_slow
from sheetbill.book.xlsx.decode import CellDecoder
from sheetbill.book.xlsx.package import Package
from sheetbill.book.xlsx.shared_strings import read_shared_strings
from sheetbill.book.xlsx.styles import read_number_formats

from .test_xlsx_kit import MAIN, build_xlsx, shared_strings, sheet_xml

D = Decimal


def both_readers(path: Path, name: str):
    """The sheet read by the fast reader and by the slow one."""
    with Package(path) as package:
        sheet = package.sheet(name)
        decoder = CellDecoder(
            read_shared_strings(package), read_number_formats(package).number_styles(), package.date1904, name
        )
        with package.open(sheet.part) as stream:
            try:
                fast = read_fast(stream, decoder)
            except NotCanonical:
                fast = None
        with package.open(sheet.part) as stream:
            slow = read_slow(stream, decoder)
    return fast, slow


@pytest.fixture
def openpyxl_book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sessions"
    ws.append(["Session ID", "Date", "Qty", "Price", "Done", "Formula", "At"])
    ws.append(["S-1", date(2026, 11, 3), 2, 12.5, True, "=C2*D2", datetime(2026, 11, 3, 14, 30, 15)])
    ws.append([None, None, None])
    ws.append(["S-2", None, None, None, False])
    ws["C6"].font = openpyxl.styles.Font(bold=True)  # styled, empty
    ws["B8"] = date(2026, 1, 1)
    ws["B8"].number_format = "dd.mm.yyyy"
    ws["C8"] = 7
    ws["C8"].number_format = '"day "0'
    ws["D8"] = 1.5
    ws["D8"].number_format = "[h]:mm:ss"
    ws["E8"] = 45000
    ws["E8"].number_format = "[$-409]mmmm d, yyyy;@"
    wb.create_sheet("Hidden").sheet_state = "hidden"
    wb.create_sheet("Secret").sheet_state = "veryHidden"
    wb.properties.lastModifiedBy = "Admin Anna"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return path


def test_values_types_and_layout(openpyxl_book: Path) -> None:
    book = read_sheets(openpyxl_book)
    sheet = book.sheets["Sessions"]
    assert sheet.rows[0] == (1, ("Session ID", "Date", "Qty", "Price", "Done", "Formula", "At"))
    assert sheet.rows[1] == (
        2,
        ("S-1", date(2026, 11, 3), D("2"), D("12.5"), True, FormulaNoValue("C2*D2"), datetime(2026, 11, 3, 14, 30, 15)),
    )
    assert sheet.rows[2] == (4, ("S-2", None, None, None, False))
    assert sheet.rows[3] == (
        8,
        (None, date(2026, 1, 1), D("7"), datetime(1900, 1, 1, 12, 0), date(2023, 3, 15)),
    )
    assert sheet.max_row == 8
    assert all(type(v) is D for _, row in sheet.rows for v in row if isinstance(v, D))


def test_sheet_list_hidden_and_last_editor(openpyxl_book: Path) -> None:
    book = read_sheets(openpyxl_book, ["Hidden", "Nope"])
    assert book.sheet_names == ("Sessions", "Hidden", "Secret")
    assert book.hidden == {"Hidden", "Secret"}
    assert book.last_modified_by == "Admin Anna"
    assert set(book.sheets) == {"Hidden"}
    assert book.sheets["Hidden"].rows == [] and book.sheets["Hidden"].max_row == 0


def test_1904_date_system(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active["A1"] = date(2026, 11, 3)
    wb.save(tmp_path / "mac.xlsx")
    book = read_sheets(tmp_path / "mac.xlsx")
    assert book.date1904
    assert book.sheets["Sheet"].rows == [(1, (date(2026, 11, 3),))]


def libreoffice_style(tmp_path: Path) -> Path:
    """Shared strings with rich text and phonetic runs, the value kinds, as LibreOffice writes them."""
    strings = shared_strings(
        "<t>Anna</t>",
        '<r><rPr><b val="true"/><sz val="11"/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r>',
        "<t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/>",
        "<t>line_x000D_\nbreak &amp; &lt;tag&gt;</t>",
        "<t/>",
    )
    rows = (
        '<row r="1" spans="1:6"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c></row>'
        '<row r="3"><c r="A3" s="1"><v>46329</v></c><c r="B3" s="2"><v>46329.75</v></c>'
        '<c r="C3" s="3"><v>12</v></c><c r="D3"><v>12.50</v></c><c r="E3"><v>1.5E-3</v></c></row>'
        '<row r="4"><c r="A4" t="str"><f>A1&amp;"!"</f><v>Anna!</v></c><c r="B4" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        '<c r="C4" t="b"><v>1</v></c><c r="D4" t="inlineStr"><is><t xml:space="preserve"> lead</t></is></c>'
        '<c r="E4" t="inlineStr"><is><r><t>in</t></r><r><rPr><i/></rPr><t>line</t></r></is></c></row>'
        '<row r="5"><c r="B5" s="1"/><c r="C5"><f>SUM(C3:C4)</f></c></row>'
        '<row r="6" customHeight="1" ht="30"><c r="A6" s="4"/></row>'
    )
    return build_xlsx(tmp_path / "lo.xlsx", {"Data": sheet_xml(rows)}, strings=strings)


LO_EXPECTED = [
    (1, ("Anna", "Bold and plain", "東京", "line\r\nbreak & <tag>")),
    (3, (date(2026, 11, 3), datetime(2026, 11, 3, 18, 0), D("12"), D("12.50"), D("1.5E-3"))),
    (4, ("Anna!", CellError("#DIV/0!"), True, " lead", "inline")),
    (5, (None, None, FormulaNoValue("SUM(C3:C4)"))),
]


def test_libreoffice_style_package(tmp_path: Path) -> None:
    sheet = read_sheets(libreoffice_style(tmp_path)).sheets["Data"]
    assert sheet.rows == LO_EXPECTED
    assert sheet.max_row == 5


def prefixed(tmp_path: Path) -> Path:
    """The same cells with the main namespace on an `x:` prefix, as some generators write."""
    rows = (
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t>hi</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" s="1"><x:v>46329</x:v></x:c><x:c r="C2"><x:f>A2+1</x:f><x:v>46330</x:v></x:c></x:row>'
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN}">'
        f"<x:sheetData>{rows}</x:sheetData></x:worksheet>"
    )
    return build_xlsx(tmp_path / "prefixed.xlsx", {"P": xml}, strings=shared_strings("<t>one</t>"))


def test_prefixed_namespace_is_read_by_the_general_reader(tmp_path: Path) -> None:
    path = prefixed(tmp_path)
    assert read_sheets(path).sheets["P"].rows == [(1, ("one", "hi")), (2, (date(2026, 11, 3), None, D("46330")))]
    fast, slow = both_readers(path, "P")
    assert fast is None and slow.rows[0] == (1, ("one", "hi"))


def test_cells_and_rows_without_r(tmp_path: Path) -> None:
    rows = (
        '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row>'
        '<row r="4"><c><v>3</v></c><c r="C4"><v>4</v></c></row>'
    )
    path = build_xlsx(tmp_path / "nor.xlsx", {"S": sheet_xml(rows)})
    assert read_sheets(path).sheets["S"].rows == [(1, ("a", D("2"))), (4, (D("3"), None, D("4")))]


def test_empty_sheet_data(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path / "empty.xlsx", {"E": sheet_xml("")})
    sheet = read_sheets(path).sheets["E"]
    assert sheet.rows == [] and sheet.max_row == 0


def test_fast_and_slow_readers_agree(tmp_path: Path) -> None:
    fast, slow = both_readers(libreoffice_style(tmp_path), "Data")
    assert fast == slow


def test_fast_and_slow_agree_on_openpyxl_book(openpyxl_book: Path) -> None:
    fast, slow = both_readers(openpyxl_book, "Sessions")
    assert fast == slow


def test_fast_and_slow_agree_on_odd_cells(tmp_path: Path) -> None:
    rows = (
        '<row r="1">\n  <c r="A1" t="s" s="1">\n    <v>0</v>\n  </c>\n  <c r="B1" s="1" t="n"><v/></c>'
        '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1" t="str"><f>A1</f><v/></c>'
        '<c r="E1" vm="1"><v xml:space="preserve">5</v></c><c r="F1" t="d"><v>2026-11-03T10:00:00</v></c>'
        '<c r="G1" t="d"><v>2026-11-03</v></c><c r="H1"><f t="shared" si="0"/><v>4</v></c>'
        '<c r="I1"><f t="shared" si="0"/></c><c r="J1" t="b"><v>0</v></c></row>\n'
    )
    path = build_xlsx(tmp_path / "odd.xlsx", {"S": sheet_xml(rows)}, strings=shared_strings("<t>zero</t>"))
    fast, slow = both_readers(path, "S")
    assert fast == slow
    assert fast.rows == [
        (1, ("zero", None, None, None, D("5"), datetime(2026, 11, 3, 10), date(2026, 11, 3),
             D("4"), FormulaNoValue(""), False)),
    ]


def test_fast_reader_handles_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows split across read chunks, and attributes out of the usual order."""
    monkeypatch.setattr("sheetbill.book.xlsx.cells_fast.CHUNK", 64)
    rows = "".join(
        f'<row r="{r}" spans="1:3"><c r="A{r}" t="inlineStr" s="0"><is><t>€ {r}</t></is></c>'
        f'<c r="B{r}" cm="1"><v>{r}.25</v></c><c r="C{r}" t="n" s="1"><v>{46000 + r}</v></c></row>'
        for r in range(1, 60)
    )
    path = build_xlsx(tmp_path / "pieces.xlsx", {"S": sheet_xml(rows)})
    fast, slow = both_readers(path, "S")
    assert fast == slow
    assert fast.rows[58] == (59, ("€ 59", D("59.25"), date(2026, 2, 6)))


def test_out_of_order_cells_fall_back(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="B1"><v>2</v></c><c r="A1"><v>1</v></c></row>'
    path = build_xlsx(tmp_path / "order.xlsx", {"S": sheet_xml(rows)})
    fast, slow = both_readers(path, "S")
    assert fast is None and slow.rows == [(1, (D("1"), D("2")))]


def test_not_a_workbook(tmp_path: Path) -> None:
    csv = tmp_path / "sessions.xlsx"
    csv.write_text("a,b\n1,2\n")
    with pytest.raises(NotAWorkbook, match="not a zip"):
        read_sheets(csv)
    encrypted = tmp_path / "locked.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"))
    with pytest.raises(NotAWorkbook, match="password-protected"):
        read_sheets(encrypted)
    legacy = tmp_path / "old.xlsx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(NotAWorkbook, match=r"\.xls"):
        read_sheets(legacy)
    document = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(document, "w") as zipped:
        zipped.writestr("word/document.xml", "<w/>")
    with pytest.raises(NotAWorkbook, match="not an Excel workbook"):
        read_sheets(document)
