"""Reading and surgically patching .xlsx packages, without openpyxl.

    read_sheets(path, names=None) -> Workbook

This package knows cells, not invoices. See `values` for the value types.
"""

from .errors import BrokenWorkbook, NotAWorkbook, SheetNotFound, UnsupportedEdit, XlsxError
from .reader import read_sheets
from .values import CellError, FormulaNoValue, NewSheet, SheetEdit, SheetValues, Value, Workbook, WriteValue

__all__ = [
    "BrokenWorkbook",
    "CellError",
    "FormulaNoValue",
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
    "read_sheets",
]
