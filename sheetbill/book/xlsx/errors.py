"""The failures of the xlsx package, as one small hierarchy.

Every message is a plain sentence a practice admin can act on; the caller
may wrap these into its own errors.
"""


class XlsxError(Exception):
    """Base of every failure raised by `sheetbill.book.xlsx`."""


class NotAWorkbook(XlsxError):
    """The file is not an .xlsx workbook we can open: not a zip, an old .xls,
    a password-protected (encrypted) file, or another kind of document."""


class NotAZip(NotAWorkbook):
    """No zip package at all: another kind of file, or an .xlsx whose saving stopped half-way."""


class BrokenWorkbook(XlsxError):
    """The package is an .xlsx but one of its parts cannot be understood."""


class SheetNotFound(XlsxError):
    """An edit names a sheet the workbook does not have."""


class UnsupportedEdit(XlsxError):
    """An edit that cannot be written without damaging the workbook, such as
    a value inside an array formula's range or an invalid new sheet name."""
