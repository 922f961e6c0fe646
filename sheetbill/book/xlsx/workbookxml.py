"""Edits of xl/workbook.xml: a new `<sheet>` entry, and asking Excel to
recalculate on open (cached formula results are stale once cells change)."""

from __future__ import annotations

from .errors import BrokenWorkbook
from .opc import REL_NS
from .xmledit import find_element, find_elements, set_attr
from .xmltext import escape_attr

# CT_Workbook's children that come after calcPr, in schema order (extLst,
# which may also sit deeper, is handled on its own).
_AFTER_CALC_PR = (
    "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes",
    "webPublishing", "fileRecoveryPr", "webPublishObjects",
)


def add_sheet_entry(text: str, name: str, sheet_id: int, rel_id: str, hidden: bool) -> str:
    """workbook.xml with a `<sheet>` appended to `<sheets>`."""
    sheets = find_element(text, "sheets")
    if sheets is None or sheets.self_closing:
        raise BrokenWorkbook("the workbook part lists no sheets")
    p = sheets.prefix
    state = ' state="hidden"' if hidden else ""
    element = (
        f'<{p}sheet xmlns:r="{REL_NS}" name="{escape_attr(name)}" sheetId="{sheet_id}"{state} r:id="{rel_id}"/>'
    )
    return text[: sheets.inner_end] + element + text[sheets.inner_end :]


def full_calc_on_load(text: str) -> str:
    """workbook.xml with `<calcPr fullCalcOnLoad="1">`."""
    calc = find_element(text, "calcPr")
    if calc is not None:
        tag = set_attr(text[calc.start : calc.open_end], "fullCalcOnLoad", "1")
        return text[: calc.start] + tag + text[calc.open_end :]
    root = find_element(text, "workbook")
    if root is None:
        raise BrokenWorkbook("the workbook part has no workbook element")
    at = root.inner_end
    extensions = find_elements(text, "extLst", root.open_end, root.inner_end)
    if extensions and not text[extensions[-1].end : root.inner_end].strip():
        at = extensions[-1].start
    for name in _AFTER_CALC_PR:
        follower = find_element(text, name, root.open_end)
        if follower is not None:
            at = min(at, follower.start)
    element = f'<{root.prefix}calcPr fullCalcOnLoad="1"/>'
    return text[:at] + element + text[at:]
