"""Builders shared by the xlsx tests: hand-made packages (the forms Excel,
LibreOffice and other tools write, with shapes, extensions, macros...)
and a way to rewrite a member of an existing package. No tests here."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_BASE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
CALC_CHAIN_CT = f'<Override PartName="/xl/calcChain.xml" ContentType="{CT_BASE}.calcChain+xml"/>'
CALC_CHAIN_REL = f'<Relationship Id="rId200" Type="{REL}/calcChain" Target="calcChain.xml"/>'

STYLES = (
    f'{DECL}<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="&quot;day &quot;0"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
"""Styles: 0 plain, 1 dd/mm/yyyy, 2 date-time (22), 3 `"day "0` (not a date), 4 bold."""


def sheet_xml(rows: str, before: str = "", after: str = "", root_attrs: str = "") -> str:
    """A worksheet part with `rows` inside `<sheetData>`."""
    data = f"<sheetData>{rows}</sheetData>" if rows else "<sheetData/>"
    return f'{DECL}<worksheet xmlns="{MAIN}" xmlns:r="{REL}"{root_attrs}>{before}{data}{after}</worksheet>'


def shared_strings(*items: str) -> str:
    """A shared string table from raw `<si>` contents."""
    body = "".join(f"<si>{item}</si>" for item in items)
    return f'{DECL}<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'


def build_xlsx(
    path: Path,
    sheets: Mapping[str, str],
    strings: str | None = None,
    styles: str | None = STYLES,
    extra: Mapping[str, bytes | str] | None = None,
    sheet_rels: Mapping[int, str] | None = None,
    workbook_extra: str = "",
    states: Mapping[str, str] | None = None,
    content_types: str = "",
    workbook_rels: str = "",
) -> Path:
    """Write a package by hand: `sheets` maps names to worksheet XML,
    `extra` adds parts verbatim, `sheet_rels` gives sheet N (1-based) a
    .rels body; `content_types` and `workbook_rels` add raw elements."""
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{CT_BASE}.sheet.main+xml"/>']
    rels, entries, parts = [], [], {}
    for number, (name, xml) in enumerate(sheets.items(), start=1):
        part = f"xl/worksheets/sheet{number}.xml"
        parts[part] = xml
        overrides.append(f'<Override PartName="/{part}" ContentType="{CT_BASE}.worksheet+xml"/>')
        rels.append(f'<Relationship Id="rId{number}" Type="{REL}/worksheet" Target="worksheets/sheet{number}.xml"/>')
        state = f' state="{states[name]}"' if states and name in states else ""
        entries.append(f'<sheet name="{name}" sheetId="{number}"{state} r:id="rId{number}"/>')
    if styles is not None:
        parts["xl/styles.xml"] = styles
        overrides.append(f'<Override PartName="/xl/styles.xml" ContentType="{CT_BASE}.styles+xml"/>')
        rels.append(f'<Relationship Id="rId100" Type="{REL}/styles" Target="styles.xml"/>')
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT_BASE}.sharedStrings+xml"/>')
        rels.append(f'<Relationship Id="rId101" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
    for number, body in (sheet_rels or {}).items():
        rels_xml = f'{DECL}<Relationships xmlns="{PKG_REL}">{body}</Relationships>'
        parts[f"xl/worksheets/_rels/sheet{number}.xml.rels"] = rels_xml
    members = {
        "[Content_Types].xml": (
            f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{"".join(overrides)}{content_types}</Types>'
        ),
        "_rels/.rels": (
            f'{DECL}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{DECL}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/><bookViews><workbookView/></bookViews>'
            f'<sheets>{"".join(entries)}</sheets>{workbook_extra}<calcPr calcId="191029"/></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{DECL}<Relationships xmlns="{PKG_REL}">{"".join(rels)}{workbook_rels}</Relationships>'
        ),
        **parts,
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, content in members.items():
            zipped.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path


def rezip(src: Path, dst: Path, replace: Mapping[str, bytes | None]) -> Path:
    """Copy a package, replacing members (None drops one)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = replace.get(info.filename, old.read(info.filename))
            if content is not None:
                new.writestr(info.filename, content)
    return dst


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zipped:
        return zipped.read(name)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zipped:
        return {info.filename: zipped.read(info) for info in zipped.infolist()}
