"""Gmail, where an interrupted send is looked up by its Message-ID: a mailbox
shared with another workbook (a trial one) never makes ours look sent."""

from __future__ import annotations

from email.message import EmailMessage

from sheetbill.deliver.message import message_id_for

from .conftest import session
from .google_practice import GooglePractice, google_practice  # noqa: F401  (fixture)
from .test_google_crash import kill_run

pytest_plugins = ["tests.conftest_google"]


def sent_by_a_trial_workbook(p: GooglePractice, message_id: str) -> None:
    from tests.fakegoogle.gmail import _send

    trial = EmailMessage()
    trial["From"], trial["To"] = "billing@lindenhof.example", "anna@example.com"
    trial["Subject"], trial["Message-ID"] = "Invoice INV-2026-0001 (trial)", message_id
    trial.set_content("a trial")
    with p.fake.state.lock:
        _send(p.fake.state, trial.as_bytes(), None)


def test_an_interrupted_first_invoice_is_not_taken_for_a_trial_workbooks(google_practice: GooglePractice):
    p = google_practice
    p.append("Sessions", session("S-00001", "2026-11-02"))
    kill_run(p, "send", 1)  # marked as sending, then the worker died before it went
    invoice, = p.rows("Invoices")
    # the trial workbook sent its own INV-2026-0001, the same sessions, from the same address
    sent_by_a_trial_workbook(p, message_id_for("INV-2026-0001", invoice["Checksum"], "billing@lindenhof.example"))
    sent_by_a_trial_workbook(p, message_id_for("INV-2026-0001", invoice["Checksum"], "billing@lindenhof.example",
                                               "0123456789abcdef"))
    assert p.run(p.later(11)).sent == ["INV-2026-0001"]
    ours = [m for m in p.emails() if m["Message-ID"] == p.rows("Invoices")[0]["Message ID"]]
    assert len(ours) == 1 and "(trial)" not in ours[0]["Subject"]
    assert len(p.emails()) == 3
