"""Requests per cycle on the Google backend, and the cycle's seconds, against
the local fake Google (tests/fakegoogle).

    .venv/bin/python bench/google_calls.py [--sessions 10000] [--new 0,1,50,500]

For each N: a practice spreadsheet made ready by `init --google`, holding
SESSIONS sessions of which SESSIONS - N were invoiced, delivered and
recorded by earlier cycles, and N newly completed. One cycle of the real
worker then bills the N sessions (Google Docs PDFs stored in Drive, Gmail),
and a second cycle finds nothing to do. Printed: the requests of each API in
each cycle, and its seconds. The earlier cycles are made with stand-ins for
the PDFs and emails, to set up in seconds rather than hours.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sheetbill import app  # noqa: E402
from sheetbill import config as config_mod  # noqa: E402
from sheetbill.google import Backoff, Google  # noqa: E402
from sheetbill.book.google.setup import set_up  # noqa: E402
from sheetbill.book.schema import DEFAULT_TABS  # noqa: E402
from sheetbill.render.drive import LINK  # noqa: E402
from sheetbill.render.store import StoredPdf  # noqa: E402
from tests.fakegoogle import FakeGoogle, seed  # noqa: E402
from tests.fakegoogle.clients import credentials  # noqa: E402
from tests.fakegoogle.state import FOLDER  # noqa: E402
from tests.google_practice import SERVICES, TEMPLATE, write_config  # noqa: E402

APIS = ("sheets", "drive", "docs", "gmail")
CLIENTS = 200
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@dataclass
class Delivered:
    """Stand-ins for the PDFs and emails of the earlier cycles."""

    name = "gmail"

    def render(self, doc) -> bytes:
        return b"%PDF-1.4 earlier"

    def save(self, name: str, pdf: bytes) -> StoredPdf:
        return StoredPdf(f"{name}.pdf", LINK.format(f"earlier-{name}"))

    def link(self, name: str) -> str | None:
        return LINK.format(f"earlier-{name}")

    def read(self, link: str) -> bytes:
        return b"%PDF-1.4 earlier"

    def exists(self, link: str) -> bool:
        return True

    def send(self, msg) -> str:
        return msg["Message-ID"]

    def already_sent(self, message_id: str) -> bool:
        return False

    def check(self) -> None:
        """Nothing to prove."""


def practice(fake: FakeGoogle, folder: Path, sessions: int, new: int) -> tuple[Path, str]:
    state = fake.state
    services = [list(next(t for t in DEFAULT_TABS if t.key == "services").headers)] + SERVICES
    clients = [[f"C-{i:04d}", f"Client {i}", f"client{i}@example.com", f"Street {i}\n10115 Berlin", "", "14", "", ""]
               for i in range(1, CLIENTS + 1)]
    book = seed.spreadsheet(state, "Practice", {"Sessions": [], "Clients": [["Client ID", "Name", "Email", "Address",
                                                                            "Discount", "Terms (days)", "Invoice Mode",
                                                                            "Tax ID"]] + clients,
                                                 "Services": services})
    drive_folder = state.add_file("Invoices", FOLDER)
    template = seed.document(state, "Invoice template", TEMPLATE)
    write_config(folder, book.id, drive_folder.id, template.id)
    config = config_mod.load(folder / "sheetbill.yaml")
    rng = random.Random(1)
    set_up(connection(fake), book.id, config.tabs, lambda: rng.randint(1, 2**31 - 1))
    first = date(2025, 1, 1)
    rows = [["Session ID", "Date", "Client", "Service", "Quantity", "Extras", "Discount", "Provider", "Status", "Notes"]]
    for n in range(1, sessions + 1):
        day = first + timedelta(days=n * 680 // sessions)
        status = "Scheduled" if n > sessions - new else "Completed"
        rows.append([f"S-{n:05d}", day.isoformat(), f"C-{1 + n % CLIENTS:04d}", "LD60", "", "", "", "Maria", status, ""])
    seed.fill(book.sheet_titled("Sessions"), rows)
    return folder / "sheetbill.yaml", book.id


def connection(fake: FakeGoogle) -> Google:
    return Google(credentials(), fake.base_url, Backoff(sleep=lambda s: None))


def cycle(fake: FakeGoogle, config_path: Path, clock: Clock) -> tuple[dict[str, int], float, object]:
    fake.calls.clear()
    worker = app.worker_for(config_mod.load(config_path), clock=clock, google=connection(fake))
    started = time.perf_counter()
    report = worker.run_once()
    seconds = time.perf_counter() - started
    counts = fake.calls.snapshot()["apis"]
    return {api: counts.get(api, 0) for api in APIS}, seconds, report


def measure(fake: FakeGoogle, sessions: int, new: int) -> list[str]:
    fake.reset()
    with tempfile.TemporaryDirectory() as tmp:
        config_path, spreadsheet_id = practice(fake, Path(tmp) / "practice", sessions, new)
        clock = Clock(NOW)
        earlier = app.worker_for(config_mod.load(config_path), clock=clock, google=connection(fake))
        stand_in = Delivered()
        earlier.renderer, earlier.transport, earlier.pdfs = stand_in, stand_in, stand_in
        earlier.run_once()
        clock.current += timedelta(minutes=11)
        sheet = fake.state.spreadsheets[spreadsheet_id].sheet_titled("Sessions")
        for row in range(sessions - new + 1, sessions + 1):
            seed.fill(sheet, [["Completed"]], top=row, left=8)
        lines = []
        for label in (f"{new} new", "then idle"):
            counts, seconds, report = cycle(fake, config_path, clock)
            assert not report.errors, report.errors
            assert len(report.created) == (new if label.endswith("new") else 0)
            lines.append(f"{sessions:>8} {label:>10} " + " ".join(f"{counts[a]:>7}" for a in APIS)
                         + f" {seconds:>9.2f}")
            clock.current += timedelta(minutes=11)
        return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--new", default="0,1,50,500", help="new invoices per measured cycle, comma-separated")
    args = parser.parse_args()
    print(f"{'sessions':>8} {'cycle':>10} " + " ".join(f"{a:>7}" for a in APIS) + f" {'seconds':>9}")
    with FakeGoogle() as fake:
        for new in (int(n) for n in args.new.split(",")):
            for line in measure(fake, args.sessions, new):
                print(line, flush=True)


if __name__ == "__main__":
    main()
