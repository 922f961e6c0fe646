"""`sheetbill preview`: the next run's own cycle, done where it changes nothing, and listed.

There is no second planner to drift from the real one: the worker runs its
whole cycle (restore, plan, commit, PDFs, emails) against a stand-in that
keeps every change to itself, and what that cycle did is what `run` would do.

- Excel: a copy of the workbook in a temporary folder, without backups. The
  workbook itself is only read (its bytes and mtime stay) and no lock file
  is made beside it.
- Google: a book that reads the real sheet and keeps its commits in memory.

Everywhere: no PDF is rendered (a placeholder stands in) and none is stored:
the store says where each would go, so the cycle sees the links `run` would
write, and finds the PDFs already made. The transport only records what it
is given; whether an email that an earlier run left half-sent went out is
still looked up where the real transport can (outbox folder, Gmail).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Iterator

from . import app
from .book.base import Committed, Snapshot, next_rows, with_state
from .book.cache import Cache
from .book.excel import ExcelBook, check_usable, office_locks, open_since
from .config import Config
from .core import actions
from .core.changes import Changes
from .errors import WorkbookError
from .render.folder import LocalFolder
from .render.store import PdfStore, StoredPdf
from .clock import Clock, SystemClock
from .cycle_report import CycleReport
from .worker import Worker

PLACEHOLDER_PDF = b"%PDF-1.4\n% sheetbill preview: not rendered\n%%EOF\n"


@dataclass
class Preview:
    """What the next run would do (`report`) and what else the admin should know first."""

    report: CycleReport
    notes: list[str] = field(default_factory=list)


class NoPdf:
    """A renderer that makes no PDF: the preview needs to know a document is made, not its pages."""

    kind = "preview"

    def render(self, doc) -> bytes:
        return PLACEHOLDER_PDF

    def check(self) -> None:
        """Needs no template."""

    def made_of(self) -> str:
        """"": a preview keeps no PDF to use again."""
        return ""


class RecordingTransport:
    """Takes every message and sends none. `lookup(message_id)`: whether the real
    transport already sent it (for emails an interrupted run left marked)."""

    def __init__(self, name: str, lookup: Callable[[str], bool] | None = None) -> None:
        self.name = name
        self._lookup = lookup
        self.messages: list[EmailMessage] = []

    def send(self, msg: EmailMessage) -> str:
        self.messages.append(msg)
        return str(msg["Message-ID"])

    def already_sent(self, message_id: str, document: str = "") -> bool:
        return self._lookup is not None and self._lookup(message_id)

    def check(self) -> None:
        """Sends nothing, so nothing to prove."""


def preview(config: Config, clock: Clock | None = None, google=None) -> Preview:
    """Run the next cycle where it changes nothing; `google`: a ready connection (tests)."""
    if config.workbook is not None:
        return _excel(config, clock)
    return _google(config, clock, google)


def _excel(config: Config, clock: Clock | None) -> Preview:
    workbook = config.workbook
    assert workbook is not None
    notes = []
    found = office_locks(workbook)
    if found:
        now = (clock or SystemClock()).now()
        notes.append(f"{open_since(workbook, found[0], now, config.timezone)}: `run` writes nothing until it is closed")
    with tempfile.TemporaryDirectory(prefix="sheetbill-preview-") as tmp:
        folder = Path(tmp)
        copy = folder / workbook.name
        check_usable(workbook)
        try:
            shutil.copyfile(workbook, copy)
        except OSError as exc:
            raise WorkbookError(f"{workbook}: cannot read the workbook ({exc.strerror or exc})") from None
        scratch = replace(config, workbook=copy, backups=0)
        worker = _worker(scratch, ExcelBook(copy, scratch.tabs, backups=0), _transport(config), clock,
                         _NoPdfStored(config.render.output, config.path.parent))
        return Preview(worker.run_once(), notes)


def _google(config: Config, clock: Clock | None, google) -> Preview:
    google = app.google_for(config, google)
    book = app.book_for(config, clock, google)
    drive = config.google.drive_folder if config.google is not None else ""
    store: PdfStore = (_KeepNothing(app.pdf_store_for(config, google)) if drive
                       else _NoPdfStored(config.render.output, config.path.parent))
    worker = _worker(config, InMemoryBook(book), _transport(config, google), clock, store)
    return Preview(worker.run_once())


def _worker(config: Config, book, transport: RecordingTransport | None, clock: Clock | None,
            store: PdfStore) -> Worker:
    superbills = app.superbills_for(config)
    if superbills is not None:
        superbills.renderer = NoPdf()  # the same problems and emails as `run`, no PDF made
    return Worker(config, book, NoPdf(), transport, clock, pdfs=store, message=app.message_for(config),
                  receipts=NoPdf(), statements=NoPdf(), superbills=superbills)


def _transport(config: Config, google=None) -> RecordingTransport | None:
    """A recording stand-in for the config's transport (None when the config sends no email)."""
    from .deliver.outbox import OutboxTransport

    kind = config.email.transport
    if kind == "none":
        return None
    if kind == "outbox":
        return RecordingTransport(kind, OutboxTransport(config.email.outbox).already_sent)
    if kind == "gmail":
        from .deliver.gmail import GmailTransport

        return RecordingTransport(kind, GmailTransport(app.google_for(config, google)).already_sent)
    app.transport_for(config)  # the same refusal as `run` (e.g. the password's variable unset)
    return RecordingTransport(kind)  # SMTP cannot look a message up: a person checks, as in `run`


class InMemoryBook:
    """A Google Sheet read for real, its commits kept in memory: a later read in the
    same cycle sees them, the sheet never does. No lease is taken (that is a write)."""

    def __init__(self, book) -> None:
        self._book = book
        self.label = book.label
        self.cache = Cache(None)
        self._current: Snapshot | None = None

    def fingerprint(self) -> str | None:
        return None

    def hold(self) -> bool:
        return True

    @contextlib.contextmanager
    def lease(self) -> Iterator[None]:
        yield

    def read(self, history: bool = False) -> Snapshot:
        if self._current is not None and not history:
            return self._current
        return self._book.read(history=history)

    def commit(self, snapshot: Snapshot, changes: Changes) -> Committed:
        from .book.apply import apply_edits, copies

        if changes.empty:
            return Committed({}, snapshot)
        edits = with_state(snapshot.tables, changes)
        rows = next_rows(snapshot.tables, edits)
        tables = copies(snapshot.tables, edits)
        apply_edits(tables, edits, rows)
        state = dict(snapshot.state)
        state.update({str(a.values["key"]): str(a.values["value"]) for a in edits.rows if a.tab == "state"})
        state.update({w.key: str(w.after) for w in edits.cells if w.tab == "state"})
        self._current = replace(snapshot, tables=tables, state=state)
        return Committed(rows, self._current)


class _NoPdfStored(LocalFolder):
    """The local folder as it is: a PDF is saved where it would be kept, and nothing is written."""

    def save(self, name: str, pdf: bytes) -> StoredPdf:
        from .render.files import safe_name

        path = self.folder / safe_name(name, ".pdf")
        return StoredPdf(path.name, self._link(path), path)


class _KeepNothing:
    """A Drive PDF store that finds what is in the folder and stores nothing."""

    def __init__(self, store: PdfStore) -> None:
        self._store = store

    def save(self, name: str, pdf: bytes) -> StoredPdf:
        from .render.files import safe_name

        file_name = safe_name(name, ".pdf")
        return StoredPdf(file_name, self._store.link(name) or f"(new in Drive) {file_name}")

    def link(self, name: str) -> str | None:
        return self._store.link(name)

    def exists(self, link: str) -> bool:
        return self._store.exists(link)

    def read(self, link: str) -> bytes:
        return self._store.read(link)


# -- the listing ---------------------------------------------------------------
GROUPS = (  # (title, kinds, email detail) in the order a run does them
    ("Restored: edits to finalized invoices undone", (actions.RESTORED,), None),
    ("Drafts to number", (actions.NUMBERED,), None),
    ("Drafts made again from their sessions", (actions.REDRAFTED,), None),
    ("Invoices", (actions.INVOICE,), None),
    ("Drafts for review", (actions.DRAFT,), None),
    ("Credit notes", (actions.CREDIT_NOTE,), None),
    ("Archived", (actions.ARCHIVED,), None),
    ("Payments applied", (actions.PAYMENT,), None),
    ("Refunds", (actions.REFUND,), None),
    ("Receipts", (actions.RECEIPT,), None),
    ("Cash register", (actions.CASH,), None),
    ("Notes", (actions.NOTE,), None),
    ("PDFs", (actions.PDF,), None),
    ("Emails", (actions.EMAIL,), ("invoice", "credit note", "receipt")),
    ("Reminders", (actions.EMAIL,), ("reminder",)),
    ("Statements", (actions.EMAIL,), ("statement",)),
)


def listing(result: Preview, config: Config) -> list[str]:
    """One line per item, grouped under a title, amounts as the documents write them."""
    from .render.context import format_money

    def amount(value) -> str:
        return "" if value is None else format_money(value, config.practice.currency, config.practice.minor_unit)

    report = result.report
    out: list[str] = [f"note: {n}" for n in result.notes]
    shown: set[int] = set()
    for title, kinds, details in GROUPS:
        items = [a for a in report.actions if a.kind in kinds and (details is None or a.detail in details)]
        if not items:
            continue
        shown.update(id(a) for a in items)
        rows = [_row(a, amount) for a in items]
        out += [f"{title} ({len(items)}):"] + _aligned(rows)
    rest = [a for a in report.actions if id(a) not in shown]
    if rest:
        out += ["Other:"] + _aligned([_row(a, amount) for a in rest])
    if report.problems:
        out.append(f"Problems ({len(report.problems)}):")
        out += [f"  {config.tab(p.tab).name} row {p.row} ({p.key}): {p.message}" for p in report.problems]
    if report.waiting:
        out.append(f"{report.waiting} daily-mode session(s) wait for their day to end")
    for flag in report.flags:
        out.append(f"for a person: {flag}")
    for error in report.errors:
        out.append(f"error: {error}")
    if not report.actions and not report.problems:
        out.append("Nothing to do.")
    out.append(f"The next run: {_summary(report)}. Nothing was written.")
    return out


def _row(a: actions.Action, amount: Callable) -> tuple[str, ...]:
    to = f"to {a.recipient}" if a.recipient else "(no address)"
    if a.kind == actions.EMAIL:
        return (a.reference, a.detail, to) if a.detail in ("invoice", "credit note", "receipt") else (a.reference, to)
    if a.kind == actions.NOTE:
        return (a.detail,)
    if a.kind in (actions.CASH, actions.RESTORED, actions.REDRAFTED, actions.ARCHIVED, actions.PDF):
        return (a.reference, a.detail)
    return (a.reference, a.recipient, amount(a.amount), a.detail)


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    """Columns padded to the group's widest; amounts (ending in a currency) right-aligned."""
    width = max(len(r) for r in rows)
    rows = [r + ("",) * (width - len(r)) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(width)]
    right = {i for i in range(width) if i == 2 and width == 4}
    return ["  " + "  ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(r, widths))
                             ).rstrip() for r in rows]


def _summary(report: CycleReport) -> str:
    count = {k: sum(1 for a in report.actions if a.kind == k) for k in actions.KINDS}
    parts = [(count[actions.INVOICE], "invoice(s)"), (count[actions.NUMBERED], "draft(s) numbered"),
             (count[actions.DRAFT], "draft(s)"), (count[actions.CREDIT_NOTE], "credit note(s)"),
             (count[actions.PAYMENT], "payment(s) applied"), (count[actions.REFUND], "refund(s)"),
             (count[actions.RECEIPT], "receipt(s)"), (count[actions.EMAIL], "email(s)"),
             (count[actions.RESTORED], "restoration(s)"), (len(report.problems), "problem(s)")]
    return ", ".join(f"{n} {label}" for n, label in parts if n or label == "problem(s)")
