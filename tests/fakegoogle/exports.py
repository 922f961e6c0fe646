"""``files.export``: Google Docs and Sheets files rendered to other formats."""

from __future__ import annotations

import csv
import html
import io

from . import pdf
from .errors import legacy
from .sheet_ranges import Target
from .sheets_values import read
from .state import DOCUMENT, SPREADSHEET, DriveFile, State


def _sheet_rows(state: State, entry: DriveFile) -> list[list[str]]:
    book = state.spreadsheets[entry.id]
    sheet = book.sheets[0]
    values = read(Target(sheet, 0, sheet.row_count, 0, sheet.col_count))
    return [[str(v) for v in row] for row in values]


def _delimited(rows: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    width = max((len(r) for r in rows), default=0)
    writer.writerows(row + [""] * (width - len(row)) for row in rows)
    return buffer.getvalue().removesuffix("\r\n").encode("utf-8")


def export(state: State, entry: DriveFile, mime_type: str) -> tuple[bytes, str]:
    """The exported bytes and their content type; Drive's errors otherwise."""
    if entry.mime_type == DOCUMENT:
        document = state.documents[entry.id]
        lines = document.plain_lines()
        if mime_type == "application/pdf":
            return pdf.render(lines, document.title), mime_type
        if mime_type == "text/plain":
            return ("\ufeff" + "\r\n".join(lines)).encode("utf-8"), "text/plain"
        if mime_type == "text/html":
            body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
            head = f"<head><title>{html.escape(document.title)}</title></head>"
            return f"<html>{head}<body>{body}</body></html>".encode(), "text/html"
    elif entry.mime_type == SPREADSHEET:
        rows = _sheet_rows(state, entry)
        if mime_type == "text/csv":
            return _delimited(rows, ","), "text/csv"
        if mime_type == "text/tab-separated-values":
            return _delimited(rows, "\t"), "text/tab-separated-values"
        if mime_type == "application/pdf":
            return pdf.render(["  ".join(row) for row in rows], entry.name), mime_type
    else:
        raise legacy(403, "fileNotExportable", "Export only supports Docs Editors files.", location="fileId")
    raise legacy(400, "badRequest", "The requested conversion is not supported.", location="convertTo")
