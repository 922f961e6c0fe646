"""How sheetbill's tabs look on a Google Sheet (the same as `init` makes in Excel)."""

from __future__ import annotations

from typing import Any

from ..schema import Tab

ADMIN_HEADER = {"red": 0x1F / 255, "green": 0x4E / 255, "blue": 0x79 / 255}
WORKER_HEADER = {"red": 0x7F / 255, "green": 0x7F / 255, "blue": 0x7F / 255}
WHITE = {"red": 1, "green": 1, "blue": 1}
HEADER_FIELDS = "userEnteredValue,userEnteredFormat(backgroundColor,textFormat)"


def header_cell(tab: Tab, field: str) -> dict[str, Any]:
    """The CellData of one header: white bold text on blue (admin) or grey (worker) columns."""
    column = tab.column(field)
    fill = WORKER_HEADER if (column.worker or tab.worker) else ADMIN_HEADER
    return {"userEnteredValue": {"stringValue": column.header},
            "userEnteredFormat": {"backgroundColor": fill, "textFormat": {"bold": True, "foregroundColor": WHITE}}}


def header_write(tab: Tab, sheet_id: int, fields: list[str], first_column: int) -> dict[str, Any]:
    """An updateCells request writing the headers of `fields` from `first_column` on row 1."""
    return {"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1,
                  "startColumnIndex": first_column, "endColumnIndex": first_column + len(fields)},
        "rows": [{"values": [header_cell(tab, f) for f in fields]}], "fields": HEADER_FIELDS}}
