"""The command line, as an admin uses it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill import cli
from sheetbill.cycle_report import CycleReport
from sheetbill.watch import watch

from .conftest import session


def fill_in_the_practice(path) -> None:
    from sheetbill.placeholders import fill_example

    path.write_text(fill_example(path.read_text(encoding="utf-8")), encoding="utf-8")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_then_check_then_run(tmp_path, capsys):
    code, out, _ = run(capsys, "init", str(tmp_path / "p"))
    assert code == 0 and "practice.xlsx" in out
    config = str(tmp_path / "p" / "sheetbill.yaml")
    fill_in_the_practice(tmp_path / "p" / "sheetbill.yaml")
    code, out, _ = run(capsys, "check", "--config", config, "--offline")
    assert (code, out.strip()) == (0, "OK: config, workbook, templates and mail settings look right")
    code, out, _ = run(capsys, "init", str(tmp_path / "p"))
    assert code == 1


def test_preview_shows_the_plan_and_writes_nothing(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", "2026-11-04", client="Bob"))
    before = practice.workbook.read_bytes()
    code, out, _ = run(capsys, "preview", "--config", str(practice.config_path))
    assert code == 0
    assert "INV-" in out and "C-001 Anna Meier" in out and "65.00 EUR" in out
    assert "Unknown client 'Bob'" in out and "Nothing was written" in out
    assert practice.workbook.read_bytes() == before
    assert not (practice.folder / "outbox").exists()


def test_run_prints_one_line_and_problems(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)), session("S-00002", "2026-11-04", client="Bob"))
    code, out, _ = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 0
    assert "1 invoice(s) created, 1 PDF(s), 1 email(s) sent, 1 problem(s)" in out
    assert "Unknown client 'Bob'" in out


def test_config_errors_name_the_file_and_key(practice, capsys):
    practice.configure("terms_days: 14", "terms_days: soon")
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 1 and "sheetbill.yaml: billing.terms_days: must be a number (got 'soon')" in err
    practice.configure("terms_days: soon", "termz_days: 14")
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert "unknown key 'billing.termz_days' (did you mean 'billing.terms_days'?)" in err
    code, _, err = run(capsys, "run", "--config", str(practice.folder / "nope.yaml"))
    assert code == 1 and "no such config file" in err


def test_an_smtp_password_written_into_the_config_is_refused_and_never_repeated(practice, capsys):
    """`password:` under email.smtp was an unknown key 'did you mean password_env?': written there, the
    password was then printed back in every message ('the environment variable S3cret!pw is not set')."""
    practice.configure("password_env: SHEETBILL_SMTP_PASSWORD", 'password: "S3cret!pw"')
    for command in (["check", "--offline"], ["run"], ["watch"]):
        code, out, err = run(capsys, command[0], "--config", str(practice.config_path), *command[1:])
        assert code == (78 if command == ["watch"] else 1)  # watch: not restarted by its unit
        assert "S3cret!pw" not in out + err and "did you mean" not in out + err
        assert "email.smtp.password: the SMTP password is never kept in the YAML" in out + err
        assert "SHEETBILL_SMTP_PASSWORD" in out + err  # where it goes instead
    practice.configure('password: "S3cret!pw"', 'password_env: "S3cret!pw"')
    practice.configure("transport: outbox", "transport: smtp")
    for command in (["check", "--offline"], ["run"]):
        code, out, err = run(capsys, command[0], "--config", str(practice.config_path), *command[1:])
        assert code == 1 and "S3cret!pw" not in out + err
        assert "email.smtp.password_env: names the environment variable that holds the password" in out + err


def test_a_daily_time_written_without_quotes_is_explained(practice, capsys):
    """YAML reads an unquoted 18:30 as the number 1110 (base 60): the admin who wrote 18:30 was told
    it 'must be a time like 18:30 (got '1110')'."""
    practice.configure('daily_at: ""', "daily_at: 18:30")
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 1 and "1110" not in err
    assert ('schedule.daily_at: put the time in quotes, daily_at: "18:30" (without them YAML reads 18:30 as '
            "a number)") in err
    practice.configure("daily_at: 18:30", 'daily_at: "18:30"')
    assert practice.config.schedule.daily_at.strftime("%H:%M") == "18:30"


def test_a_key_given_twice_is_an_error_naming_it_and_both_lines(practice, capsys):
    """YAML keeps the last of two entries of a key without a word: the admin says which one is meant."""
    original = practice.config_path.read_text(encoding="utf-8")
    lines = original.splitlines()
    number = next(i for i, l in enumerate(lines) if l.startswith("  invoice_number:")) + 1
    practice.configure("  invoice_number: INV-{year}-{seq:04}", "  invoice_number: INV-{year}-{seq:04}\n"
                       "  invoice_number: R-{seq:05}")
    code, out, err = run(capsys, "run", "--config", str(practice.config_path))
    assert (code, out) == (1, "")
    assert err == (f"sheetbill: sheetbill.yaml: key 'billing.invoice_number' is given twice (lines {number} and "
                   f"{number + 1}); keep one of them\n")
    practice.config_path.write_text(original, encoding="utf-8")
    smtp = next(i for i, l in enumerate(lines) if l == "  smtp:") + 1
    practice.configure("  smtp:\n", "  smtp:\n    host: mail.example.com\n  smtp:\n")  # two sections
    code, out, err = run(capsys, "check", "--offline", "--config", str(practice.config_path))
    assert code == 1 and "Traceback" not in out + err
    assert (f"sheetbill.yaml: key 'email.smtp' is given twice (lines {smtp} and {smtp + 2}); keep one of them"
            in out + err)
    practice.config_path.write_text(original, encoding="utf-8")
    practice.configure("schedule:\n", "schedule:\n  <<: {every_minutes: 5, daily_at: '18:30'}\n")
    assert practice.config.schedule.every_minutes == 10  # a merged mapping's key gives way: not given twice


def test_the_currency_is_an_iso_code(practice, capsys):
    """The invoices, their QR codes and e-invoices name it: EURO or € would make them wrong."""
    practice.configure("currency: EUR", "currency: EURO")
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 1 and "practice.currency: 'EURO' is not an ISO 4217 currency code (EUR, CHF, GBP, USD...)" in err
    practice.configure("currency: EURO", "currency: eur")
    assert (practice.config.practice.currency, practice.config.practice.minor_unit) == ("EUR", Decimal("0.01"))
    practice.configure("currency: eur", "currency: JPY")  # minor_unit 0.01 left from the example: no yen has cents
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 1 and "practice.minor_unit: 0.01 is smaller than the smallest amount of JPY (1)" in err
    practice.configure('minor_unit: "0.01"', 'minor_unit: "0.05"')
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 1 and "practice.minor_unit: must be 1 or a tenth of it (1, 0.1, 0.01...), not 0.05" in err
    practice.configure('minor_unit: "0.05"', "")  # left out: the currency's own
    assert (practice.config.practice.currency, practice.config.practice.minor_unit) == ("JPY", Decimal("1"))


def test_check_lists_every_finding(practice, capsys):
    practice.configure("template: templates/invoice.html", "template: templates/missing.html")
    practice.configure("transport: outbox", "transport: smtp")
    (practice.folder / "~$practice.xlsx").write_text("x")
    code, out, _ = run(capsys, "check", "--config", str(practice.config_path))
    lines = out.strip().splitlines()
    assert code == 1
    assert any(l.startswith("render.template:") and "missing.html" in l for l in lines)
    assert any("SHEETBILL_SMTP_PASSWORD" in l for l in lines)
    assert any("open in Excel or LibreOffice" in l for l in lines)


def test_check_finds_a_missing_column(practice, capsys):
    import openpyxl

    wb = openpyxl.load_workbook(practice.workbook)
    wb["Sessions"]["I1"] = "State"
    wb.save(practice.workbook)
    code, out, _ = run(capsys, "check", "--config", str(practice.config_path), "--offline")
    assert code == 1 and "Tab 'Sessions' has no column 'Status'" in out


def test_a_locked_workbook_exits_3(practice, capsys):
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    (practice.folder / ".~lock.practice.xlsx#").write_text("x")
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 3 and "open in Excel or LibreOffice" in err


def test_a_lock_file_left_by_a_crash_says_it_may_be_deleted(practice, capsys):
    """Excel or the machine crashed with the workbook open, or a sync client copied the lock file:
    `~$practice.xlsx` stays although no one has the workbook open, and every cycle (and the alert
    email) said only 'close it'."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    (practice.folder / "~$practice.xlsx").write_text("x")
    code, _, err = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 3
    assert "if no one has it open, ~$practice.xlsx was left behind by a crash: delete it" in err
    code, out, _ = run(capsys, "check", "--offline", "--config", str(practice.config_path))
    assert "if no one has it open, ~$practice.xlsx was left behind by a crash: delete it" in out


def test_watch_runs_cycles_until_stopped_and_survives_a_failing_one():
    from sheetbill.errors import WorkbookBusy

    calls, idles = [], []

    def cycle() -> CycleReport:
        calls.append(1)
        if len(calls) == 1:
            raise WorkbookBusy("open in Excel")
        return CycleReport()

    class Sched:  # the schedule package's Scheduler, run by hand: every call is "due"
        def __init__(self):
            self.jobs = []

        def every(self, *a):
            return self

        @property
        def seconds(self):
            return self

        @property
        def day(self):
            return self

        def at(self, when):
            self.at_time = when
            return self

        def do(self, job):
            self.jobs.append(job)

        def run_pending(self):
            for job in self.jobs[:1]:
                job()

        idle_seconds = 600

    sched = Sched()
    watch(cycle, 10, scheduler=sched, stop=lambda: len(idles) >= 3, idle=idles.append)
    assert len(calls) == 4  # one at start, one per loop
    assert idles == [1.0, 1.0, 1.0]  # never sleeps long, so Ctrl-C is handled promptly


def test_run_tells_the_admin_which_edits_it_undid_and_which_rows_it_cleared(practice, capsys):
    """Typing over a finalized invoice's Total is undone; a line added to it by hand is cleared
    (what it held stays in the Changelog): `run` says both, with what to do instead."""
    import openpyxl

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert run(capsys, "run", "--config", str(practice.config_path))[0] == 0
    practice.set("Invoices", "INV-2026-0001", "Total", 1)
    wb = openpyxl.load_workbook(practice.workbook)
    line = [c.value for c in wb["Lines"][2]]
    wb["Lines"].append(["INV-2026-0001", "S-00099"] + line[2:])
    wb.save(practice.workbook)
    code, out, _ = run(capsys, "run", "--config", str(practice.config_path))
    lines = out.splitlines()
    assert code == 0
    assert "  restored INV-2026-0001 Total: 1 back to 65.00" in lines
    assert any(l.startswith("  note: a finalized invoice stays as it was sent") and "Void" in l for l in lines)
    assert "  restored INV-2026-0001/S-00099/LD60 Lines row added by hand cleared" in lines
    assert ("  attention: Lines row INV-2026-0001/S-00099/LD60 was added by hand to the finalized invoice "
            "INV-2026-0001: it is not part of the invoice; sheetbill cleared the row (what it held is in the "
            "Changelog). To bill a client, add a session") in lines
    wb = openpyxl.load_workbook(practice.workbook)
    assert [r[1] for r in wb["Lines"].iter_rows(min_row=2, values_only=True) if any(r)] == ["S-00001"]


def test_an_invoice_typed_into_the_invoices_tab_is_never_sent_nor_given_the_next_number(practice, capsys):
    """The admin writes an invoice herself, lines and all: it is not one sheetbill issued, so it is
    cleared (its cells stay in the Changelog), nobody gets it, and the next real invoice takes the
    number she typed, so the series has neither a gap nor a number twice."""
    import openpyxl

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert run(capsys, "run", "--config", str(practice.config_path))[0] == 0
    practice.append("Invoices", ["INV-2026-0002", date(2026, 11, 4), date(2026, 11, 18), "C-002", "Jonas Becker",
                                 None, 50, 0, 50, 0, 50, "Finalized"])
    practice.append("Lines", ["INV-2026-0002", None, date(2026, 11, 4), "X", "Written by hand", 1, 50, None, 0,
                              50, 0, 50])
    practice.append("Sessions", session("S-00002", date(2026, 11, 4), client="C-003"))
    code, out, _ = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 0
    assert out.splitlines()[0].startswith("1 invoice(s) created, 1 PDF(s), 1 email(s) sent")
    sent = {m["To"].addresses[0].addr_spec: m["Subject"] for m in practice.emails()}
    assert sorted(sent) == ["anna@example.com", "sofia@example.com"] and "INV-2026-0002" in sent["sofia@example.com"]
    assert [(r["Invoice No"], r["Client ID"], r["Total"]) for r in practice.rows("Invoices")] == [
        ("INV-2026-0001", "C-001", 65), ("INV-2026-0002", "C-003", 65)]
    assert [(r["Invoice No"], r["Session ID"]) for r in practice.rows("Lines")] == [
        ("INV-2026-0001", "S-00001"), ("INV-2026-0002", "S-00002")]
    logged = [r for r in practice.rows("Changelog") if r["Key"] == "INV-2026-0002" and r["Actor"] == "sheetbill"]
    assert ("Total", "50") in [(r["Field"], str(r["Before"])) for r in logged]
    assert run(capsys, "audit", "--config", str(practice.config_path))[0] == 0
    wb = openpyxl.load_workbook(practice.workbook)
    assert wb["Invoices"].max_row == 3  # the real invoice took the cleared row: no blank one left between


def test_a_damaged_snapshot_is_said_and_the_invoice_changed_meanwhile_is_named(practice, capsys):
    """Someone unhid _sheetbill and "tidied" it, and in the same save changed a sent invoice's
    Total: the edit cannot be undone, but it does not pass unsaid."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    assert run(capsys, "run", "--config", str(practice.config_path))[0] == 0
    practice.set("_sheetbill", "snapshot/invoices/p0/0", "Value", "garbage")
    practice.set("Invoices", "INV-2026-0001", "Total", 60)
    code, out, _ = run(capsys, "run", "--config", str(practice.config_path))
    lines = out.splitlines()
    assert code == 0
    assert any(l.startswith("  attention: the snapshot of Invoices in the hidden _sheetbill tab is damaged") for l in lines)
    assert ("  attention: INV-2026-0001 was changed after it was finalized (its Checksum no longer matches) and "
            "there is no snapshot to restore it from; compare it with its PDF") in lines


def test_run_says_when_cash_was_taken_on_a_day_the_cash_tab_has_no_row_for(practice, capsys):
    """The Cash tab has no Problem column: what its drawer misses is said by `run` (as `preview` does)."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.append("Payments", ["P-00001", date(2026, 11, 3), "C-001", "S-00001", 65, "Cash", None])
    code, out, _ = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 0
    assert "  note: Cash payments on 2026-11-03 (in 65.00, out 0.00) but no Cash row for that day" in out.splitlines()


def test_watch_logs_what_a_person_should_know_as_warnings(caplog):
    import logging

    from sheetbill.core.actions import RESTORED, Action

    report = CycleReport(actions=[Action(RESTORED, "INV-2026-0001", detail="Total: 1 back to 65.00")],
                         flags=["Lines row for INV-2026-0001/S-00099 was added by hand"])
    with caplog.at_level(logging.INFO, logger="sheetbill"):
        watch(lambda: report, 10, scheduler=None, stop=lambda: True, idle=lambda s: None)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned[0] == "restored INV-2026-0001 Total: 1 back to 65.00"
    assert warned[1].startswith("note: a finalized invoice stays as it was sent")
    assert warned[2] == "attention: Lines row for INV-2026-0001/S-00099 was added by hand"


def test_run_says_when_a_receipted_payment_was_deleted(practice, capsys):
    """The client holds a receipt for it: the row is put back (its number is spent), and the
    admin hears of it once, on the cycle that puts it back, with what to do instead."""
    import openpyxl

    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.run()
    practice.append("Payments", ["P-00001", date(2026, 11, 4), "C-001", "INV-2026-0001", 40, "Cash"])
    practice.run()
    wb = openpyxl.load_workbook(practice.workbook)
    assert wb["Payments"]["I2"].value == "RCPT-2026-0001"
    wb["Payments"].delete_rows(2)
    wb.save(practice.workbook)
    code, out, _ = run(capsys, "run", "--config", str(practice.config_path))
    assert code == 0
    assert ("  restored P-00001 deleted Payments row put back: its receipt RCPT-2026-0001 was issued, so it "
            "stays in the books and its number is not given again; to take back money entered by mistake, "
            "enter a refund (a negative Amount)") in out.splitlines()
    assert "a finalized invoice stays as it was sent" not in out  # no invoice was set back
    invoice = {r["Invoice No"]: r for r in practice.rows("Invoices")}["INV-2026-0001"]
    assert invoice["Paid"] == 40
    assert [p["Receipt No"] for p in practice.rows("Payments")] == ["RCPT-2026-0001"]
    code, out, _ = run(capsys, "run", "--config", str(practice.config_path))
    assert "restored" not in out  # said once


def test_the_daily_run_is_at_the_practices_time_of_day_whatever_the_machines_clock(monkeypatch):
    """`daily_at: "18:30"` for a practice in Berlin, on a VM whose clock is UTC: the run came at 18:30
    on the VM's clock (19:30 or 20:30 in Berlin). It comes at 18:30 in Berlin, before and after the
    change to summer time, once a day."""
    import time
    from datetime import datetime, time as clock_time, timedelta, timezone
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    now = [datetime(2026, 3, 28, 6, 0, tzinfo=timezone.utc)]  # summer time begins on the 29th
    ran: list[datetime] = []

    class Idle:  # the every-10-minutes job never due: only the daily run and the first one
        def every(self, *a):
            return self

        seconds = property(lambda self: self)

        def do(self, job):
            pass

        def run_pending(self):
            pass

        idle_seconds = 600

    def idle(seconds: float) -> None:
        now[0] += timedelta(minutes=7)

    try:
        watch(lambda: ran.append(now[0]) or CycleReport(), 10, clock_time(18, 30), scheduler=Idle(),
              stop=lambda: now[0] >= datetime(2026, 3, 30, 6, 0, tzinfo=timezone.utc), idle=idle,
              timezone=ZoneInfo("Europe/Berlin"), now=lambda: now[0])
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    berlin = [t.astimezone(ZoneInfo("Europe/Berlin")) for t in ran[1:]]
    assert [(t.day, t.hour) for t in berlin] == [(28, 18), (29, 18)]
    assert all(30 <= t.minute < 37 for t in berlin)


@pytest.mark.parametrize("key, old, new", [
    ("render.template", "template: templates/invoice.html", "template: templates/invoce.html"),
    ("email.body_template", "body_template: templates/email/invoice_body.txt",
     "body_template: templates/email/invoice_bdy.txt"),
])
def test_a_missing_template_names_its_key_in_run_as_in_check(practice, capsys, key, old, new):
    """`check` named the key; `run` and `watch` said only 'template not found: /.../invoce.html' (and a
    missing email template let every cycle make invoices whose emails failed, one error each, never
    a failed cycle the practice would be told of: see test_health for watch)."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 3)))
    practice.configure(old, new)
    for command in (["check", "--offline"], ["run"]):
        code, out, err = run(capsys, command[0], "--config", str(practice.config_path), *command[1:])
        assert code == 1, command
        assert f"{key}: template not found: " in out + err and new.split("/")[-1] in out + err
    assert practice.rows("Invoices") == []  # nothing billed that could not be sent
