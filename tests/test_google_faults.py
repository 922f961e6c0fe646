"""Google misbehaving during a cycle: 429 storms, 5xx, slow answers and
connections dropped after a write. Retries are bounded and never sleep for
real here; a write whose answer was lost is checked, not repeated; and
whatever happens, each invoice exists once and each email went out once."""

from __future__ import annotations

from collections import Counter

import pytest
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials

from sheetbill.google import Backoff, Google
from sheetbill.errors import SheetbillError, WorkbookBusy, WorkbookError
from tests.fakegoogle.clients import credentials

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)

pytest_plugins = ["tests.conftest_google"]

READ = "sheets.spreadsheets.getByDataFilter"
BATCH = "sheets.spreadsheets.batchUpdate"
SEND = "gmail.users.messages.send"


def three_sessions(p: GooglePractice) -> None:
    p.append("Sessions", *[session(f"S-{n:05d}", f"2026-11-{n:02d}") for n in range(1, 4)])


def assert_once(p: GooglePractice) -> None:
    invoices = p.rows("Invoices")
    assert [i["Invoice No"] for i in invoices] == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
    assert [i["Sessions"] for i in invoices] == ["S-00001", "S-00002", "S-00003"]
    assert len(p.rows("Lines")) == 3
    assert Counter(m["Message-ID"] for m in p.emails()) == Counter({i["Message ID"]: 1 for i in invoices})
    assert all(i["Sent At"] and i["PDF"] for i in invoices)
    assert sorted(p.pdfs()) == [f"INV-2026-000{n}.pdf" for n in (1, 2, 3)]


@pytest.mark.parametrize("match", [READ, BATCH, SEND, "drive.files.*", "docs.documents.*"])
def test_a_429_storm_is_waited_out(google_practice: GooglePractice, match):
    p = google_practice
    three_sessions(p)
    storm = p.fake.faults.rate_limit(times=3, match=match)
    report = p.run()
    assert storm.fired == 3 and report.errors == []
    assert p.waits.seconds[:3] == [0.5, 1.0, 2.0]  # exponential, jittered (the test's jitter is 0.5)
    assert_once(p)


def test_retry_after_is_respected(google_practice: GooglePractice):
    p = google_practice
    three_sessions(p)
    p.fake.faults.rate_limit(times=1, match=READ, retry_after=7)
    p.run()
    assert p.waits.seconds[0] == 7


def test_an_endless_storm_gives_up_bounded_and_writes_nothing(google_practice: GooglePractice):
    p = google_practice
    three_sessions(p)
    p.fake.faults.rate_limit(times=None, match=READ)
    with pytest.raises(WorkbookBusy, match="did not answer"):
        p.run()
    assert p.fake.count(method=READ) == Backoff().attempts
    assert sum(p.waits.seconds) <= Backoff().budget
    assert p.rows("Invoices") == []


@pytest.mark.parametrize("status", [500, 503])
@pytest.mark.parametrize("nth", [1, 2, 3, 4])
def test_a_5xx_on_a_write_is_checked_then_sent_again(google_practice: GooglePractice, status, nth):
    p = google_practice
    three_sessions(p)
    p.fake.faults.server_error(times=1, status=status, match=nth_batch(nth))
    report = p.run()
    assert report.errors == []
    assert p.fake.count(method="sheets.spreadsheets.developerMetadata.get") == 1  # did it land? (no)
    assert_once(p)


@pytest.mark.parametrize("nth", [1, 2, 3, 4, 5])
def test_a_write_whose_answer_is_lost_is_not_sent_twice(google_practice: GooglePractice, nth):
    p = google_practice
    three_sessions(p)
    p.fake.faults.drop_after_write(times=1, match=nth_batch(nth))
    report = p.run()
    assert report.errors == []
    assert p.fake.count(method=BATCH) == 5  # the dropped one was found to have landed
    assert_once(p)
    assert p.run(p.later(1)).created == []


def test_a_send_whose_answer_is_lost_is_found_in_the_mailbox(google_practice: GooglePractice):
    p = google_practice
    three_sessions(p)
    p.fake.faults.drop_after_write(times=1, match=SEND)
    report = p.run()
    assert report.errors == [] and len(report.sent) == 3
    assert p.fake.count(method="gmail.users.messages.list") == 1
    assert_once(p)


def test_a_send_refused_with_5xx_is_sent_by_the_next_run_after_a_look(google_practice: GooglePractice):
    p = google_practice
    three_sessions(p)
    p.fake.faults.server_error(times=1, status=503, match=SEND)
    report = p.run()
    assert len(report.sent) == 2 and len(report.errors) == 1
    assert "no clear answer" in report.errors[0]
    assert p.run(p.later(1)).errors == []
    assert_once(p)


def test_a_pdf_upload_whose_answer_is_lost_is_not_made_twice(google_practice: GooglePractice):
    p = google_practice
    three_sessions(p)
    p.fake.faults.drop_after_write(times=1, match=lambda r: r.method_id == "drive.files.create")
    assert p.run().errors == []
    assert_once(p)


def test_slow_answers_time_out_and_are_retried(google_practice: GooglePractice):
    p = google_practice
    three_sessions(p)
    google = Google(credentials(), p.fake.base_url, Backoff(sleep=p.waits, jitter=lambda: 0.5), timeout=(2, 1.0))
    p.fake.faults.delay(2.5, times=1, match=READ)
    p.fake.faults.delay(2.5, times=1, match=nth_batch(2))
    from sheetbill import app

    report = app.worker_for(p.config, clock=p.clock, google=google).run_once()
    assert report.errors == []
    assert p.fake.count(method=READ) == 2
    assert_once(p)


def nth_batch(n: int):
    """A fault matcher for the nth batchUpdate from now on."""
    seen = {"count": 0}

    def match(request) -> bool:
        if request.method_id != BATCH:
            return False
        seen["count"] += 1
        return seen["count"] == n
    return match


class SignIn(Credentials):
    """A person's sign-in whose access token is renewed before each call after the first `good`
    ones, and whose renewal `fails` as google-auth reports it: Google refused it (the refresh token
    expired, which happens after 7 days to an app still in testing, or was revoked), or no answer
    came from Google's sign-in server."""

    def __init__(self, good: int, fails: str, times: int | None = None) -> None:
        super().__init__(token="test", refresh_token="unused", token_uri="http://127.0.0.1:9/token",
                         client_id="unused", client_secret="unused")
        self.good, self.fails, self.times = good, fails, times

    def before_request(self, request, method, url, headers):
        if self.good > 0:
            self.good -= 1
        elif self.times is None or self.times > 0:
            self.times = None if self.times is None else self.times - 1
            if self.fails == "refused":
                raise RefreshError("invalid_grant: Token has been expired or revoked.",
                                   {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
            raise TransportError("HTTPSConnectionPool(host='oauth2.googleapis.com', port=443): Read timed out.")
        return super().before_request(request, method, url, headers)


def signed_in(p: GooglePractice, credentials: Credentials):
    from sheetbill import app

    google = Google(credentials, p.fake.base_url, Backoff(sleep=p.waits, jitter=lambda: 0.5))
    return app.worker_for(p.config, clock=p.clock, google=google)


def test_an_expired_sign_in_says_to_sign_in_again_and_writes_nothing(google_practice: GooglePractice):
    """Not `unexpected RefreshError` (which also ended `watch`): the message of a 401, nothing written."""
    p = google_practice
    three_sessions(p)
    with pytest.raises(WorkbookError, match=r"Google did not accept the credentials \(renewing the sign-in failed: "
                                            r"invalid_grant: Token has been expired or revoked.\); sign in again "
                                            r"with `sheetbill auth google`"):
        signed_in(p, SignIn(0, "refused")).run_once()
    assert p.fake.count() == 0 and p.rows("Invoices") == []
    assert p.run(p.later(1)).errors == []  # signed in again: the run bills as usual
    assert_once(p)


@pytest.mark.parametrize("good", [8, 14])  # while it makes the PDFs; at the write that records them
def test_a_sign_in_revoked_mid_run_says_so_and_the_next_run_sends_each_email_once(google_practice: GooglePractice,
                                                                                 good):
    p = google_practice
    three_sessions(p)
    try:
        said = signed_in(p, SignIn(good, "refused")).run_once().errors
    except SheetbillError as error:
        said = [str(error)]
        assert "This run had already saved in the workbook: INV-2026-0001, INV-2026-0002, INV-2026-0003" in said[0]
    assert said and all("sign in again with `sheetbill auth google`" in s for s in said)
    assert [i["Invoice No"] for i in p.rows("Invoices")] == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
    assert p.emails() == []
    assert p.run(p.later(11)).errors == []  # signed in again (after the stopped run's lease ran out)
    assert_once(p)


def test_a_sign_in_server_that_does_not_answer_once_is_waited_out(google_practice: GooglePractice):
    """The call was never sent, so even a send or a write is simply tried again."""
    p = google_practice
    three_sessions(p)
    for good in (0, 8, 14):  # the read, the commit, an email
        report = signed_in(p, SignIn(good, "no answer", times=1)).run_once()
        assert report.errors == []
    assert p.fake.count(method="gmail.users.messages.list") == 0  # no send was in doubt
    assert_once(p)
