"""Reading and surgically patching .xlsx packages, without openpyxl.

    read_sheets(path, names=None) -> Workbook
    patch_workbook(src, dst, edits: {sheet: SheetEdit}, add_sheets=[NewSheet], layouts) -> Written
    lost_parts(src, dst, counted, layouts) -> [what dst lost];  foreign_parts(path) -> [what path holds]

This package knows cells, not invoices. See `values` for the value types.
"""

from .errors import BrokenWorkbook, NotAWorkbook, SheetNotFound, UnsupportedEdit, XlsxError
from .guard import foreign_parts, lost_parts
from .reader import fingerprints, read_sheets
from .segments import Layout
from .values import CellError, FormulaNoValue, NewSheet, SheetEdit, SheetValues, Value, Workbook, WriteValue
from .writer import patch_workbook

__all__ = [
    "BrokenWorkbook",
    "CellError",
    "FormulaNoValue",
    "Layout",
    "NewSheet",
    "NotAWorkbook",
    "SheetEdit",
    "SheetNotFound",
    "SheetValues",
    "UnsupportedEdit",
    "Value",
    "Workbook",
    "WriteValue",
    "XlsxError",
    "fingerprints",
    "foreign_parts",
    "lost_parts",
    "patch_workbook",
    "read_sheets",
]
