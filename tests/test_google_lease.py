"""Two workers on one spreadsheet: never both writing, never both sending."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from sheetbill import app
from sheetbill.core.changes import Changes
from sheetbill.book.google import GoogleBook
from sheetbill.book.google.lease import LEASE_ID, Lease
from sheetbill.deliver.errors import TransientFailure
from sheetbill.errors import WorkbookBusy

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]


def book(p: GooglePractice, holder: str, minutes: float = 0) -> GoogleBook:
    return GoogleBook(p.google(), p.spreadsheet_id, p.config.tabs, now=p.later(minutes).now, holder=holder,
                      rng=random.Random(holder))


def lease_value(p: GooglePractice) -> Lease | None:
    meta = p.fake.state.spreadsheets[p.spreadsheet_id].metadata.get(LEASE_ID)
    return Lease.parse(meta.value) if meta else None


def state_edit(key: str) -> Changes:
    return Changes(state={key: "1"})


def test_a_worker_holding_the_sheet_keeps_the_other_out(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    first = book(p, "first")
    with first.lease():
        first.commit(first.read(), state_edit("first"))
        assert lease_value(p).holder == "first"
        with pytest.raises(WorkbookBusy, match="another sheetbill worker \\(first\\)"):
            p.run()
    assert lease_value(p).holder == "free"  # handed back at the end of the cycle
    assert p.run().created == ["INV-2026-0001"]


def test_an_idle_cycle_takes_no_lease(google_practice: GooglePractice):
    p = google_practice
    p.run()
    p.fake.calls.clear()
    p.run()
    assert p.fake.calls.snapshot()["methods"] == {"sheets.spreadsheets.getByDataFilter": 1}


def test_a_lease_left_by_a_dead_worker_runs_out(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    dead = book(p, "dead")
    dead.commit(dead.read(), state_edit("dead"))  # never handed back
    with pytest.raises(WorkbookBusy):
        p.run(p.later(9))
    assert p.run(p.later(11)).created == ["INV-2026-0001"]


def test_of_two_workers_that_read_together_only_the_first_writer_writes(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    late = book(p, "late")
    with late.lease():
        snapshot = late.read()  # the lease is free
        assert p.run().created == ["INV-2026-0001"]  # another worker claims it, writes, hands it back
        with pytest.raises(WorkbookBusy, match="took the spreadsheet over"):
            late.commit(snapshot, state_edit("late"))
    assert "late" not in {r["Key"] for r in p.rows("_sheetbill")}
    assert len(p.rows("Invoices")) == 1


def test_no_email_goes_out_without_the_lease(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    slow = book(p, "slow")
    transport = app.transport_for(p.config, slow.hold, p.google())
    with slow.lease():
        slow.read()
        other = book(p, "other")
        other.commit(other.read(), state_edit("other"))  # holds it now
        with pytest.raises(TransientFailure, match="another sheetbill worker"):
            transport.send(_message())
    assert p.emails() == []


def test_a_long_send_loop_renews_the_lease(google_practice: GooglePractice):
    p = google_practice
    clock = p.later(0)
    worker = GoogleBook(p.google(), p.spreadsheet_id, p.config.tabs, now=clock.now, holder="long")
    with worker.lease():
        worker.commit(worker.read(), state_edit("a"))
        first = lease_value(p)
        clock.current += timedelta(minutes=6)  # less than 5 minutes left
        assert worker.hold()
        assert lease_value(p).expires > first.expires and lease_value(p).holder == "long"


def _message():
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "billing@lindenhof.example", "anna@example.com", "Invoice"
    msg["Message-ID"] = "<inv-1.abc@lindenhof.example>"
    msg.set_content("Hello")
    return msg
