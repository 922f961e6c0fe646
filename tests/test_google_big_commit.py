"""A first cycle on a large sheet whose write answer is lost: the rows are read
back with a request whose URL stays short (Google refuses long ones with 414)."""

from __future__ import annotations

import requests

from .conftest import session
from .fakegoogle.server import URL_TOO_LONG_ID
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)
from .test_google_faults import BATCH

pytest_plugins = ["tests.conftest_google"]

ROWS = 2000


def first_batch(request) -> bool:
    return request.method_id == BATCH


def test_the_fake_refuses_a_url_google_would_refuse(google_practice: GooglePractice):
    p = google_practice
    answer = requests.get(f"{p.fake.base_url}/v4/spreadsheets/{p.spreadsheet_id}",
                          params={"ranges": [f"Sessions!{n}:{n}" for n in range(1, 1000)]},
                          headers={"Authorization": "Bearer x"}, timeout=10)
    assert answer.status_code == 414 and p.fake.count(method=URL_TOO_LONG_ID) == 1


def test_a_lost_answer_on_a_commit_of_thousands_of_rows_is_read_back(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", *[session(f"S-{n:05d}", "2026-11-03", client="Nobody") for n in range(1, ROWS + 1)])
    dropped = p.fake.faults.drop_after_write(times=1, match=first_batch)
    report = p.worker(deliver=False).run_once()
    assert dropped.fired == 1
    assert len(report.problems) == ROWS and report.errors == []
    rows = p.rows("Sessions")
    assert len(rows) == ROWS and all("Unknown client 'Nobody'" in r["Problem"] for r in rows)
    assert p.fake.count(method=URL_TOO_LONG_ID) == 0
