"""sheetbill: invoices from the practice's own workbook."""

__version__ = "0.1.0"
