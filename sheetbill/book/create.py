"""A new practice workbook with every tab of the design, ready to fill in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .dropdowns import OPTIONAL_DROPDOWNS
from .formats import FORMATS
from .schema import Tab

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WORKER_FILL = PatternFill("solid", fgColor="7F7F7F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ROWS = 5000  # how far down dropdowns and formats reach

_SINCE = date(2026, 1, 1)
EXAMPLE_SERVICES = (
    ("LD30", "Manual lymph drainage, 30 min", Decimal("38.00"), Decimal("0"), "session", _SINCE, "Yes"),
    ("LD45", "Manual lymph drainage, 45 min", Decimal("52.00"), Decimal("0"), "session", _SINCE, "Yes"),
    ("LD60", "Manual lymph drainage, 60 min", Decimal("65.00"), Decimal("0"), "session", _SINCE, "Yes"),
    ("BANDAGE", "Compression bandaging", Decimal("12.50"), Decimal("0.19"), "piece", _SINCE, "Yes"),
    ("GEL", "Skin care gel", Decimal("6.90"), Decimal("0.19"), "piece", _SINCE, "Yes"),
    ("NOSHOW", "Missed appointment fee", Decimal("30.00"), Decimal("0"), "session", _SINCE, "Yes"),
)
VAT_EXAMPLES = {  # the example services' VAT Category and Exemption Reason where init adds those columns
    "LD30": ("E", "VATEX-EU-132-1C"), "LD45": ("E", "VATEX-EU-132-1C"), "LD60": ("E", "VATEX-EU-132-1C"),
    "BANDAGE": ("S", ""), "GEL": ("S", ""), "NOSHOW": ("O", ""),
}

WIDTHS = {"Notes": 30, "Problem": 60, "Address": 34, "Description": 34, "Email": 28, "Extras": 20,
          "Sessions": 24, "Message ID": 40, "PDF": 30, "Before": 30, "After": 30, "Name": 24}


def create_workbook(path: Path, tabs: Sequence[Tab], services: bool = True,
                    capabilities: frozenset[str] = frozenset()) -> None:
    """Write `path` (which must not exist) with all tabs, styled and with dropdowns;
    the optional columns of `capabilities` (e.g. "insurance") too."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the default empty sheet
    by_key = {t.key: t for t in tabs}
    for tab in tabs:
        ws = wb.create_sheet(tab.name)
        ws.append([c.header for c in tab.created(capabilities)])
        for idx, column in enumerate(tab.created(capabilities), start=1):
            cell = ws.cell(row=1, column=idx)
            cell.font = HEADER_FONT
            cell.fill = WORKER_FILL if (column.worker or tab.worker) else HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            letter = get_column_letter(idx)
            ws.column_dimensions[letter].width = WIDTHS.get(column.header, max(12, len(column.header) + 4))
        ws.freeze_panes = "A2"
        if tab.hidden:
            ws.sheet_state = "hidden"
    _dropdowns(wb, by_key, capabilities)
    _dashboard(wb, by_key["dashboard"])
    if services:
        tab = by_key["services"]
        ws = wb[tab.name]
        made = [c.field for c in tab.created(capabilities)]
        for row in EXAMPLE_SERVICES:
            ws.append(list(row))
            for idx, column in enumerate(tab.columns[:len(row)], start=1):
                if column.kind in FORMATS:
                    ws.cell(row=ws.max_row, column=idx).number_format = FORMATS[column.kind]
            if "vat_category" in made:
                for field, value in zip(("vat_category", "exemption_reason"), VAT_EXAMPLES[row[0]]):
                    ws.cell(row=ws.max_row, column=made.index(field) + 1, value=value or None)
    wb.save(path)


def _dropdowns(wb: Workbook, tabs: dict[str, Tab], capabilities: frozenset[str] = frozenset()) -> None:
    def column(tab: Tab, field: str) -> str:
        return get_column_letter(tab.created(capabilities).index(tab.column(field)) + 1)

    def add(tab: Tab, field: str, formula: str, prompt: str) -> None:
        ws = wb[tab.name]
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
        dv.promptTitle, dv.prompt = tab.column(field).header, prompt
        letter = column(tab, field)
        dv.add(f"{letter}2:{letter}{ROWS}")
        ws.add_data_validation(dv)

    sessions, clients, services, payments = (tabs["sessions"], tabs["clients"], tabs["services"],
                                             tabs["payments"])
    add(sessions, "status", '"Scheduled,Completed,Cancelled,No-show"', "Completed sessions are invoiced")
    add(sessions, "client", f"'{clients.name}'!${column(clients, 'client_id')}$2:${column(clients, 'client_id')}${ROWS}",
        "A Client ID (or the client's exact name)")
    add(sessions, "service", f"'{services.name}'!${column(services, 'code')}$2:${column(services, 'code')}${ROWS}",
        "A service Code")
    add(clients, "invoice_mode", '"per-session,daily"', "Empty: the config's default")
    add(payments, "method", '"Card,Bank transfer,Cash,Other"', "How the client paid")
    add(services, "active", '"Yes,No"', "No: the service can no longer be billed")
    if "insurance" in capabilities:
        add(clients, "superbill", '"Yes,No"', "Yes: a superbill each month, and sessions need a Diagnosis")
        add(clients, "relationship", '"Self,Spouse,Child,Other"', "The client's relationship to the insured")
    for key, field, choices, note in OPTIONAL_DROPDOWNS:
        if tabs[key].column(field).capability in capabilities:
            add(tabs[key], field, f'"{",".join(choices)}"', note)


def _dashboard(wb: Workbook, tab: Tab) -> None:
    """Label the Dashboard's rows and chart its revenue rows (the worker fills the values)."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.worksheet import Worksheet

    from ..core.dashboard import MONTHS, REVENUE_FIRST_ROW

    ws: Worksheet = wb[tab.name]
    ws.column_dimensions["A"].width = 34
    chart = BarChart()
    chart.title = "Revenue per month (net)"
    chart.legend = None
    chart.height, chart.width = 7.5, 16
    last = REVENUE_FIRST_ROW + MONTHS - 1
    chart.add_data(Reference(ws, min_col=2, min_row=REVENUE_FIRST_ROW, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=REVENUE_FIRST_ROW, max_row=last))
    ws.add_chart(chart, "E2")
