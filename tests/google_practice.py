"""A practice on the local fake Google: a spreadsheet set up by `init --google`,
a Drive folder, a Docs template, a config, and the real worker wired by
`app.worker_for` with a connection to the fake (base URL and test token are
the only differences from production; the backoff records its waits instead
of sleeping)."""

from __future__ import annotations

import email
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest

from sheetbill import app
from sheetbill import config as config_mod
from sheetbill.google import Backoff, Google
from sheetbill.book.schema import DEFAULT_TABS
from sheetbill.config import PACKAGE_TEMPLATES
from sheetbill.book.google.setup import set_up
from tests.fakegoogle import FakeGoogle, seed
from tests.fakegoogle.clients import credentials
from tests.fakegoogle.sheet_ranges import Target
from tests.fakegoogle.sheets_values import read
from tests.fakegoogle.state import FOLDER

from .conftest import CLIENTS, NOW, FixedClock

SERVICES = [["LD30", "Manual lymph drainage, 30 min", "38.00", "0", "session", "2026-01-01", "Yes"],
            ["LD60", "Manual lymph drainage, 60 min", "65.00", "0", "session", "2026-01-01", "Yes"],
            ["BANDAGE", "Compression bandaging", "12.50", "19%", "piece", "2026-01-01", "Yes"],
            ["GEL", "Skin care gel", "6.90", "19%", "piece", "2026-01-01", "Yes"]]
TEMPLATE = ["{{practice.name}}", "Invoice {{number}} of {{issue_date}}", "To: {{client.name}}",
            [["Description", "Qty", "Price", "Total"],
             ["{{line.description}}", "{{line.quantity}}", "{{line.unit_price}}", "{{line.total}}"]],
            "Total due: {{amount_due}}", "Pay by {{due_date}}."]
ROWS = 60  # grid rows of the test spreadsheet's tabs
TOKEN = {"token": "test", "refresh_token": "unused", "client_id": "unused", "client_secret": "unused",
         "expiry": "2099-01-01T00:00:00Z"}


@dataclass
class Waits:
    """Stands in for time.sleep: remembers each wait instead of waiting."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@dataclass
class GooglePractice:
    fake: FakeGoogle
    folder: Path
    spreadsheet_id: str
    drive_folder: str
    template_id: str
    waits: Waits
    clock: FixedClock

    @property
    def config_path(self) -> Path:
        return self.folder / "sheetbill.yaml"

    @property
    def config(self):
        return config_mod.load(self.config_path)

    def google(self) -> Google:
        return connection(self.fake, self.waits)

    def worker(self, clock=None, **kw):
        return app.worker_for(self.config, clock=clock or self.clock, google=self.google(), **kw)

    def run(self, clock=None):
        return self.worker(clock).run_once()

    def configure(self, old: str, new: str) -> None:
        text = self.config_path.read_text()
        assert old in text, old
        self.config_path.write_text(text.replace(old, new))

    def later(self, minutes: float) -> FixedClock:
        return FixedClock(self.clock.current + timedelta(minutes=minutes))

    # -- the spreadsheet, as a person sees it ------------------------------------------
    def sheet(self, tab: str):
        return self.fake.state.spreadsheets[self.spreadsheet_id].sheet_titled(tab)

    def values(self, tab: str, option: str = "FORMATTED_VALUE") -> list[list]:
        sheet = self.sheet(tab)
        with self.fake.state.lock:
            return read(Target(sheet, 0, sheet.row_count, 0, sheet.col_count), option=option)

    def rows(self, tab: str) -> list[dict]:
        """A tab's rows as dicts by header, as displayed."""
        values = self.values(tab)
        header = values[0]
        return [dict(zip(header, r + [""] * (len(header) - len(r)))) for r in values[1:] if any(v != "" for v in r)]

    def append(self, tab: str, *rows: list) -> None:
        """Type rows under the last one, as the admin would."""
        from tests.fakegoogle import humans

        humans.type_values(self.fake.state, self.spreadsheet_id, tab, self.sheet(tab).used_rows(), 0,
                           [["" if v is None else v for v in row] for row in rows])

    # -- Drive and Gmail ---------------------------------------------------------------
    def pdfs(self) -> dict[str, bytes]:
        return {f.name: f.content for f in self.fake.state.files.values()
                if self.drive_folder in f.parents and f.mime_type == "application/pdf"}

    def emails(self) -> list:
        return [email.message_from_bytes(m.raw, policy=policy.default) for m in self.fake.state.messages]


def connection(fake: FakeGoogle, waits=lambda seconds: None) -> Google:
    """A connection to the fake: its base URL, the test token, a backoff that does not sleep."""
    return Google(credentials(), fake.base_url, Backoff(sleep=waits, jitter=lambda: 0.5))


def write_config(folder: Path, spreadsheet_id: str, drive_folder: str, template_id: str) -> None:
    shutil.copytree(PACKAGE_TEMPLATES, folder / "templates", ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / "token.json").write_text(json.dumps(TOKEN))
    (folder / "token.json").chmod(0o600)
    (folder / "sheetbill.yaml").write_text(f"""\
google:
  spreadsheet_id: {spreadsheet_id}
  credentials: token.json
  drive_folder: {drive_folder}
  docs_template: {template_id}
practice:
  name: Lindenhof Physio
  email: billing@lindenhof.example
  currency: EUR
  timezone: Europe/Berlin
render:
  engine: gdocs
email:
  transport: gmail
  from: Lindenhof Physio <billing@lindenhof.example>
""")


@pytest.fixture
def google_practice(fake_google: FakeGoogle, tmp_path: Path) -> GooglePractice:
    """A spreadsheet with some admin data, made ready by `init --google`, three clients."""
    state = fake_google.state
    services = [list(next(t for t in DEFAULT_TABS if t.key == "services").headers)] + SERVICES
    book = seed.spreadsheet(state, "Lindenhof practice", {"Sessions": [], "Clients": [], "Services": services})
    for sheet in book.sheets:  # a small grid keeps the fake quick (tabs grow as rows are added)
        book.resize(sheet, ROWS, None)
    folder = state.add_file("Invoices", FOLDER)
    template = seed.document(state, "Invoice template", TEMPLATE)
    waits = Waits()
    practice = GooglePractice(fake_google, tmp_path / "practice", book.id, folder.id, template.id, waits,
                              FixedClock(NOW))
    write_config(practice.folder, book.id, folder.id, template.id)
    rng = random.Random(7)
    set_up(practice.google(), book.id, practice.config.tabs, lambda: rng.randint(1, 2**31 - 1), new_rows=ROWS)
    practice.append("Clients", *CLIENTS)
    fake_google.calls.clear()
    return practice
