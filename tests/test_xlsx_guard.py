"""lost_parts and foreign_parts on a workbook holding what openpyxl drops:
shapes, Excel 2010 validations, sparklines, macros, custom XML."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from sheetbill.book.xlsx import NewSheet, SheetEdit, foreign_parts, lost_parts, patch_workbook

from .test_xlsx_kit import REL, build_xlsx, member, members, rezip, sheet_xml

SHEET1 = "xl/worksheets/sheet1.xml"
DRAWING = "xl/drawings/drawing1.xml"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"

EXTENSIONS = (
    f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
    f'<x14:dataValidations count="1" xmlns:xm="{XM}"><x14:dataValidation type="list" allowBlank="1">'
    "<x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>C2:C100</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext>"
    f'<ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" xmlns:x14="{X14}">'
    f'<x14:sparklineGroups xmlns:xm="{XM}"><x14:sparklineGroup><x14:sparklines><x14:sparkline>'
    "<xm:f>Sessions!B2:B4</xm:f><xm:sqref>E2</xm:sqref></x14:sparkline></x14:sparklines>"
    "</x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"
)
AFTER_DATA = (
    '<conditionalFormatting sqref="B2:B100"><cfRule type="cellIs" priority="1" operator="greaterThan">'
    "<formula>5</formula></cfRule></conditionalFormatting>"
    '<dataValidations count="1"><dataValidation type="list" allowBlank="1" sqref="D2:D100">'
    '<formula1>"Completed,Scheduled"</formula1></dataValidation></dataValidations>'
    f'<drawing r:id="rId1"/>{EXTENSIONS}'
)


def _shape(n: int, kind: str = "sp") -> str:
    body = (
        f'<xdr:nvSpPr><xdr:cNvPr id="{n}" name="Shape {n}"/><xdr:cNvSpPr/></xdr:nvSpPr>'
        f'<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
    )
    return (
        f'<xdr:twoCellAnchor><xdr:from><xdr:col>{n}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
        f"<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{n + 2}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>4</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:{kind}>{body}</xdr:{kind}>"
        "<xdr:clientData/></xdr:twoCellAnchor>"
    )


def drawing_xml(shapes: int) -> str:
    anchors = "".join(_shape(n) for n in range(1, shapes + 1))
    return f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}">{anchors}</xdr:wsDr>'


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>S-{r}</t></is></c><c r="B{r}"><v>{r}</v></c></row>'
        for r in range(1, 5)
    )
    ct = (
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Override PartName="/xl/drawings/drawing1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
    )
    vba = '<Relationship Id="rId300" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
    return build_xlsx(
        tmp_path / "rich.xlsx",
        {"Sessions": sheet_xml(rows, before='<dimension ref="A1:B4"/>', after=AFTER_DATA)},
        sheet_rels={1: f'<Relationship Id="rId1" Type="{REL}/drawing" Target="../drawings/drawing1.xml"/>'},
        extra={DRAWING: drawing_xml(2), "xl/vbaProject.bin": b"\x00VBA\xff" * 50, "customXml/item1.xml": "<a/>"},
        content_types=ct,
        workbook_rels=vba + 'Target="vbaProject.bin"/>',
    )


def test_patching_keeps_what_openpyxl_would_drop(rich: Path) -> None:
    dst = rich.with_name("out.xlsx")
    edit = SheetEdit(updates={(2, 2): "INV-1"}, appends=[["S-5", Decimal("5"), date(2026, 1, 1)]])
    patch_workbook(rich, dst, {"Sessions": edit}, [NewSheet("_state", ["k"], hidden=True)])
    assert lost_parts(rich, dst) == []
    before, after = members(rich), members(dst)
    for name in (DRAWING, "xl/vbaProject.bin", "customXml/item1.xml", "xl/worksheets/_rels/sheet1.xml.rels"):
        assert before[name] == after[name]
    old, new = before[SHEET1].decode(), after[SHEET1].decode()
    assert old.split("</sheetData>")[1] == new.split("</sheetData>")[1]


def test_openpyxl_round_trip_is_caught(rich: Path) -> None:
    saved = rich.with_name("openpyxl.xlsx")
    with pytest.warns(UserWarning):
        openpyxl.load_workbook(rich).save(saved)
    lost = lost_parts(rich, saved)
    assert any("vbaProject.bin is missing" in line for line in lost)
    assert any("sparklines" in line for line in lost)
    assert any("data validations (Excel 2010)" in line for line in lost)


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ({"xl/vbaProject.bin": None}, "the part xl/vbaProject.bin is missing"),
        ({DRAWING: drawing_xml(1).encode()}, f"{DRAWING}: shapes: 2 in the original, 1 now"),
        ("no-extensions", "sparklines: 1 in the original, 0 now"),
        ("no-extensions", "data validations: 2 in the original, 1 now"),
        ("no-validation", "data validations: 2 in the original, 1 now"),
        ("no-formatting", "conditional formats: 1 in the original, 0 now"),
        ("no-drawing-rel", "the relationship rId1 (drawing -> ../drawings/drawing1.xml)"),
        ("no-override", "the content type of /xl/drawings/drawing1.xml"),
    ],
)
def test_losses_are_reported(rich: Path, replace, expected: str) -> None:
    sheet = member(rich, SHEET1).decode()
    sheet_rels, types = "xl/worksheets/_rels/sheet1.xml.rels", "[Content_Types].xml"
    variants = {
        "no-extensions": {SHEET1: sheet.replace(EXTENSIONS, "").encode()},
        "no-validation": {SHEET1: re.sub(r"<dataValidations.*?</dataValidations>", "", sheet).encode()},
        "no-formatting": {SHEET1: re.sub(r"<conditionalFormatting.*?</conditionalFormatting>", "", sheet).encode()},
        "no-drawing-rel": {sheet_rels: member(rich, sheet_rels).replace(b"<Relationship ", b"<Other ")},
        "no-override": {types: member(rich, types).replace(b"drawings/drawing1.xml", b"drawings/other.xml")},
    }
    dst = rezip(rich, rich.with_name("damaged.xlsx"), variants[replace] if isinstance(replace, str) else replace)
    lost = lost_parts(rich, dst)
    assert any(expected in line for line in lost), lost


def test_losses_in_the_workbook_and_styles_parts_are_reported(tmp_path: Path) -> None:
    names = '<definedNames><definedName name="Rates">Sessions!$A$1:$A$4</definedName></definedNames>'
    src = build_xlsx(tmp_path / "names.xlsx", {"Sessions": sheet_xml("")}, workbook_extra=names)
    workbook, styles = member(src, "xl/workbook.xml"), member(src, "xl/styles.xml")
    fewer_fonts = re.sub(rb"<font><b/>.*?</font>", b"", styles)
    dst = rezip(src, tmp_path / "lost.xlsx", {"xl/workbook.xml": workbook.replace(names.encode(), b""),
                                               "xl/styles.xml": fewer_fonts})
    lost = lost_parts(src, dst)
    assert "xl/workbook.xml: defined names: 1 in the original, 0 now" in lost
    assert "xl/styles.xml: fonts: 2 in the original, 1 now" in lost


def test_dropping_the_calc_chain_is_not_a_loss(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'
    src = build_xlsx(tmp_path / "c.xlsx", {"S": sheet_xml(rows)}, extra={"xl/calcChain.xml": "<calcChain/>"})
    dst = rezip(src, tmp_path / "d.xlsx", {"xl/calcChain.xml": None})
    assert lost_parts(src, dst) == []


def test_a_broken_result_is_a_loss(rich: Path) -> None:
    broken = rich.with_name("broken.xlsx")
    broken.write_bytes(b"not a zip")
    assert lost_parts(rich, broken)[0].startswith("the new file cannot be opened")


def test_foreign_parts_describe_the_package(rich: Path, tmp_path: Path) -> None:
    found = foreign_parts(rich)
    for expected in (
        "VBA macros: 1 part(s)",
        "custom XML data: 1 part(s)",
        "drawings: 1 part(s)",
        "Sessions: 2 data validations",
        "Sessions: 1 data validations (Excel 2010)",
        "Sessions: 1 sparklines",
        "Sessions: 1 conditional formats",
        f"{DRAWING}: 2 shapes",
    ):
        assert expected in found, found
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    assert foreign_parts(plain) == []


def test_losses_are_reported_with_the_features_counted_by_the_commit_before(rich: Path) -> None:
    """The features a commit counted in the parts it wrote stand for the next commit's originals."""
    counted: dict = {}
    first = rich.with_name("first.xlsx")
    patch_workbook(rich, first, {"Sessions": SheetEdit(appends=[["S-5", Decimal("5")]])})
    assert lost_parts(rich, first, counted) == []
    assert any(key.startswith(SHEET1 + "|worksheet|") for key in counted)
    sheet = member(first, SHEET1).decode()
    damaged = rezip(first, rich.with_name("damaged.xlsx"),
                    {SHEET1: re.sub(r"<dataValidations.*?</dataValidations>", "", sheet).encode()})
    lost = lost_parts(first, damaged, counted)
    assert any("data validations: 2 in the original, 1 now" in line for line in lost), lost
    forged = {key: {"sparklines": 7} for key in counted}  # a count kept for another content is not used
    assert not any("sparklines: 7" in line for line in lost_parts(rich, first, forged))
