"""A new worksheet part: a header row (bold) and nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .cellxml import render_cell, style_attr
from .errors import UnsupportedEdit
from .opc import MAIN_NS, REL_NS
from .refs import cell_ref, range_ref

_FORBIDDEN = set(':\\/?*[]')


def check_sheet_name(name: str, existing: Iterable[str]) -> None:
    """Refuse a name Excel would refuse, or one the workbook already has."""
    if not 1 <= len(name) <= 31:
        raise UnsupportedEdit(f"the sheet name {name!r} must have 1 to 31 characters")
    if _FORBIDDEN & set(name) or name[0] == "'" or name[-1] == "'":
        raise UnsupportedEdit(f"the sheet name {name!r} may not contain : \\ / ? * [ ] nor start or end with '")
    if name.lower() == "history":
        raise UnsupportedEdit("Excel reserves the sheet name 'History'")
    if name.lower() in {other.lower() for other in existing}:
        raise UnsupportedEdit(f"the workbook already has a sheet named {name!r}")


def new_sheet_xml(header: Sequence[str], style: int) -> bytes:
    """The part of a worksheet holding only `header` in row 1, in `style`."""
    s_attr = style_attr(style)
    cells = "".join(render_cell("", cell_ref(1, col), text, s_attr, False) for col, text in enumerate(header) if text)
    if cells:
        dimension = range_ref(1, 0, 1, max(len(header) - 1, 0))
        data = f'<sheetData><row r="1">{cells}</row></sheetData>'
    else:
        dimension, data = "A1", "<sheetData/>"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        f'<dimension ref="{dimension}"/>'
        '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"{data}"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    ).encode()
