"""The command line: parses, calls the library, prints. No logic of its own."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path
from typing import Sequence

from . import __version__, app, checks
from . import config as config_mod
from .errors import SheetbillError

DEFAULT_CONFIG = "sheetbill.yaml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if not args.quiet else logging.WARNING,
                        format="%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
    for noisy in ("weasyprint", "fontTools"):  # their progress notes are not the admin's business
        logging.getLogger(noisy).setLevel(logging.ERROR)
    try:
        return args.func(args) or 0
    except SheetbillError as exc:
        print(f"sheetbill: {exc}", file=sys.stderr)
        return exc.exit_code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sheetbill", description="Invoices from the practice's own workbook.")
    parser.add_argument("--version", action="version", version=f"sheetbill {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, func, help: str, config: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        if config:
            p.add_argument("--config", "-c", type=Path, default=Path(DEFAULT_CONFIG),
                           help=f"the config file (default: ./{DEFAULT_CONFIG})")
        p.set_defaults(func=func)
        return p

    p = command("init", _init, "create DIR/practice.xlsx, DIR/sheetbill.yaml and DIR/templates; with "
                "--google ID, make an existing Google Sheet ready instead", config=False)
    p.add_argument("dir", type=Path, nargs="?")
    p.add_argument("--google", metavar="SPREADSHEET_ID", help="add sheetbill's tabs to this Google Sheet (uses --config)")
    p.add_argument("--config", "-c", type=Path, default=Path(DEFAULT_CONFIG),
                   help=f"with --google: the config file (default: ./{DEFAULT_CONFIG})")
    p = command("auth", _auth, "sign in to Google once; the token is stored readable only by you")
    p.add_argument("provider", choices=["google"])
    how = p.add_mutually_exclusive_group()
    how.add_argument("--client-secrets", type=Path, help="the OAuth client file (type Desktop app) from Google Cloud")
    how.add_argument("--service-account", type=Path, help="a service-account key file, instead of signing in")
    p.add_argument("--no-browser", action="store_true", help="print the sign-in address instead of opening a browser")
    command("run", _run, "run one cycle: invoice completed sessions, render, email")
    command("preview", _preview, "show what the next run would do; writes nothing")
    command("watch", _watch, "run cycles on the configured schedule until stopped (Ctrl-C)")
    p = command("statement", _statement, "a client's statement of account as PDF (and by email with --email)")
    p.add_argument("client", help="Client ID or exact name")
    p.add_argument("--from", dest="date_from", required=True, type=_date, help="first day, e.g. 2026-10-01")
    p.add_argument("--to", dest="date_to", required=True, type=_date, help="last day, e.g. 2026-10-31")
    p.add_argument("--email", action="store_true", help="also email it to the client (once per period)")
    p = command("invoice", _invoice, "an invoice as it stands today (paid, partially paid, with its payments) "
                "as a new PDF beside the original; with --email, sent to the client")
    p.add_argument("invoice_no", help="the Invoice No, e.g. INV-2026-0001")
    p.add_argument("--email", action="store_true", help="also email it to the client (once a day)")
    command("audit", _audit, "check the Changelog's hash chain, the number series and the ledger's sums")
    p = command("check", _check, "check the config, workbook, templates and mail settings")
    p.add_argument("--offline", action="store_true", help="do not connect to the mail server")
    return parser


def _init(args) -> int:
    if args.google:
        for line in app.init_google(config_mod.load(args.config), args.google):
            print(line)
        print(f"Next: `sheetbill check --config {args.config}`")
        return 0
    if args.dir is None:
        raise SheetbillError("give a folder (sheetbill init DIR) or a Google Sheet (sheetbill init --google ID)")
    workbook, config = app.init_practice(args.dir)
    print(f"Created {workbook}\nCreated {config}\nNext: fill Clients and Services, log Sessions, "
          f"then `sheetbill run --config {config}`")
    return 0


def _auth(args) -> int:
    print(app.sign_in_google(config_mod.load(args.config), args.client_secrets, args.service_account,
                             open_browser=not args.no_browser))
    return 0


def _run(args) -> int:
    worker = app.worker_for(config_mod.load(args.config))
    report = worker.run_once()
    print(report.line())
    for problem in report.problems:
        print(f"  problem: {problem.tab} row {problem.row} ({problem.key}): {problem.message}")
    for error in report.errors:
        print(f"  error: {error}", file=sys.stderr)
    return 2 if report.errors else 0


def _preview(args) -> int:
    config = config_mod.load(args.config)
    worker = app.worker_for(config, deliver=False)
    _, _, cycle = worker.plan()
    plan = cycle.plan
    cur = config.practice.currency
    rows = [("Invoice", "Client", "Sessions", "Net", "Tax", "Total")]
    rows += [(i.invoice_no, f"{i.client_id} {i.client_name}", ", ".join(i.session_ids),
              f"{i.net} {cur}", f"{i.tax} {cur}", f"{i.total} {cur}") for i in plan.new_invoices]
    if len(rows) > 1:
        _table(rows)
    else:
        print("No new invoices.")
    for problem in plan.problems:
        print(f"problem: {problem.tab} row {problem.row} ({problem.key}): {problem.message}")
    if plan.waiting:
        print(f"{len(plan.waiting)} daily-mode session(s) wait for their day to end: {', '.join(plan.waiting[:10])}")
    other = [w for w in plan.writes if w.field not in ("invoice_no", "billing_status", "problem")]
    print(f"{len(plan.new_invoices)} invoice(s), {len(plan.problems)} problem(s), "
          f"{len(plan.writes)} cell(s) to update ({len(other)} other). Nothing was written.")
    return 0


def _table(rows) -> None:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(str(v).ljust(w) if i < 3 else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _watch(args) -> int:
    from .worker import watch

    config = config_mod.load(args.config)
    worker = app.worker_for(config)
    stopping = {"flag": False}

    def stop(signum, frame) -> None:
        if stopping["flag"]:
            raise KeyboardInterrupt
        stopping["flag"] = True
        logging.getLogger("sheetbill").info("stopping after the current cycle (Ctrl-C again to stop now)")

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    logging.getLogger("sheetbill").info("watching %s every %g min%s", config.workbook or "the Google Sheet",
                                        config.schedule.every_minutes,
                                        f" and daily at {config.schedule.daily_at:%H:%M}" if config.schedule.daily_at else "")
    watch(worker.run_once, config.schedule.every_minutes, config.schedule.daily_at, stop=lambda: stopping["flag"])
    return 0


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-10-31") from None


def _statement(args) -> int:
    from .core.clients import ClientProblem

    if args.date_to < args.date_from:
        raise SheetbillError(f"--to {args.date_to} is before --from {args.date_from}")
    worker = app.worker_for(config_mod.load(args.config))
    try:
        path, report = worker.statement(args.client, args.date_from, args.date_to, args.email)
    except ClientProblem as exc:
        raise SheetbillError(str(exc)) from None
    if path is not None:
        print(f"Statement: {path}")
    for label in report.sent:
        print(f"Emailed: {label}")
    if args.email and not report.sent and not report.errors:
        print("Not emailed: the client has no Email, or this period's statement was emailed before")
    for error in report.errors:
        print(f"  error: {error}", file=sys.stderr)
    return 2 if report.errors else 0


def _invoice(args) -> int:
    path, report = app.worker_for(config_mod.load(args.config)).invoice_copy(args.invoice_no, args.email)
    if path is not None:
        print(f"Invoice: {path}")
    for label in report.sent:
        print(f"Emailed: {label}")
    if args.email and not report.sent and not report.errors:
        print("Not emailed: the client has no Email, or it was emailed today already")
    for error in report.errors:
        print(f"  error: {error}", file=sys.stderr)
    return 2 if report.errors else 0


def _audit(args) -> int:
    found = app.audit_findings(config_mod.load(args.config))
    for line in found:
        print(line)
    if not found:
        print("OK: changelog chain intact, series gapless, ledger adds up, projections match")
    return 1 if found else 0


def _check(args) -> int:
    found = checks.findings(args.config, connect=not args.offline)
    for line in found:
        print(line)
    if not found:
        print("OK: config, workbook, templates and mail settings look right")
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
