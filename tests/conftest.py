"""Shared fixtures: a fixed clock, a practice folder made by `sheetbill init`,
and helpers to fill and read its workbook with openpyxl (an independent
reader, as Excel would)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import openpyxl
import pytest

from sheetbill import app
from sheetbill import config as config_mod
from sheetbill.book import cycle_book
from sheetbill.book.xlsx import segments, writer
from sheetbill.placeholders import fill_example

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc)

CLIENTS = [
    ["C-001", "Anna Meier", "anna@example.com", "Gartenweg 3\n10115 Berlin", None, 14, None, None],
    ["C-002", "Jonas Becker", "jonas@example.com", "Hauptstraße 88\n10827 Berlin", "10%", 30, None, None],
    ["C-003", "Sofia Rossi", "sofia@example.com", "Via Roma 12\n00184 Roma", None, None, "daily", "IT0123"],
]


@pytest.fixture(autouse=True)
def short_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sheets the writer rewrites are cut every 4 kB, not every 1 MB, so that the
    workbooks of every test have layouts and later commits patch their last rows only."""
    monkeypatch.setattr(segments, "SEGMENT", 4096)


@pytest.fixture(autouse=True)
def helpers_for_small_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit writing a dozen rows to a sheet patches it in a helper process (apart.py), not
    only one writing 20,000: every test's workbooks are written as a first cycle's are."""
    monkeypatch.setattr(writer, "APART_ROWS", 12)


@pytest.fixture(autouse=True)
def big_commits_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """A commit of a dozen rows and cells makes its snapshot in a helper process and keeps it
    encoded only (cycle_book.LET_GO), as a first cycle's 10,000 do: every test goes that way."""
    monkeypatch.setattr(cycle_book, "LET_GO", 12)


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


def set_cell(wb, tab: str, key: str, header: str, value) -> None:
    """Set the `header` cell of the row of `tab` whose first column is `key` (KeyError: no such row)."""
    ws = wb[tab]
    col = [c.value for c in ws[1]].index(header) + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            ws.cell(row=row[0].row, column=col).value = value
            return
    raise KeyError(key)


@dataclass
class Practice:
    folder: Path
    workbook: Path
    config_path: Path

    @property
    def config(self):
        return config_mod.load(self.config_path)

    def rows(self, tab: str) -> list[dict]:
        """A tab's rows as dicts by header, read with openpyxl."""
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb[tab]
        values = list(ws.iter_rows(values_only=True))
        header = values[0]
        return [dict(zip(header, r)) for r in values[1:] if any(v is not None for v in r)]

    def cell_types(self, tab: str, header: str) -> list[str]:
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb[tab]
        col = [c.value for c in ws[1]].index(header) + 1
        return [ws.cell(row=r, column=col).data_type for r in range(2, ws.max_row + 1)]

    def append(self, tab: str, *rows: list) -> None:
        """Append rows; text starting with `=` stays text, as when typed with a leading quote."""
        wb = openpyxl.load_workbook(self.workbook)
        ws = wb[tab]
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
        wb.save(self.workbook)

    def set(self, tab: str, key: str, header: str, value, editor: str | None = None) -> None:
        """Set one cell of the row whose first column is `key`, as an admin in Excel
        would (who then shows as the file's last modifier)."""
        wb = openpyxl.load_workbook(self.workbook)
        set_cell(wb, tab, key, header, value)
        if editor:
            wb.properties.lastModifiedBy = editor
        wb.save(self.workbook)

    def configure(self, old: str, new: str) -> None:
        text = self.config_path.read_text()
        assert old in text, old
        self.config_path.write_text(text.replace(old, new))

    def worker(self, clock=None, **kw):
        return app.worker_for(self.config, clock=clock or FixedClock(), **kw)

    def run(self, clock=None):
        return self.worker(clock).run_once()

    def emails(self) -> list:
        import email
        from email import policy

        folder = self.folder / "outbox"
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                for p in sorted(folder.glob("*.eml"))] if folder.exists() else []


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def practice(tmp_path: Path) -> Practice:
    """A practice made by `sheetbill init`, with three clients and no sessions."""
    workbook, config_path = app.init_practice(tmp_path / "practice")
    config_path.write_text(fill_example(config_path.read_text(encoding="utf-8")), encoding="utf-8")
    p = Practice(tmp_path / "practice", workbook, config_path)
    p.append("Clients", *CLIENTS)
    return p


def session(sid, day: date | str, client="C-001", service="LD60", status="Completed", quantity=None,
            extras=None, discount=None, notes=None) -> list:
    return [sid, day, client, service, quantity, extras, discount, "Maria", status, notes]


def has_soffice() -> bool:
    return shutil.which("soffice") is not None


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (no TLS, no auth); yields (host, port, inbox)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, inbox
    finally:
        controller.stop()
