"""The command line: parses, calls the library, prints. No logic of its own."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__, app, checks, commands
from . import config as config_mod
from .book.schema import init_capabilities
from .command_report import print_document
from .errors import SheetbillError
from .stopping import Stopping

DEFAULT_CONFIG = "sheetbill.yaml"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from .logformat import configure

    configure(logging.INFO if not args.quiet else logging.WARNING, args.log_format)

    def fail(message: str) -> None:  # with --log-format json a log entry too, as every other line
        if args.log_format == "json":
            logging.getLogger("sheetbill").error(message)
        else:
            print(f"sheetbill: {message}", file=sys.stderr)

    try:
        return args.func(args) or 0
    except SheetbillError as exc:
        fail(str(exc))
        return exc.exit_code
    except OSError as exc:  # a file or folder named on the command line or in the config
        fail(f"{exc.filename or ''}{': ' if exc.filename else ''}{exc.strerror or exc}")
        return 1
    except KeyboardInterrupt:  # Ctrl-C, or `kill -INT`: a sentence, not a traceback
        fail("stopped (Ctrl-C). What this run saved in the workbook stays; the next run makes "
             "the PDFs and sends the emails it left, and sends nothing twice.")
        return 130
    except Exception as exc:  # a message, never a traceback; SHEETBILL_DEBUG=1 shows it
        if os.environ.get("SHEETBILL_DEBUG"):
            raise
        fail(f"unexpected {type(exc).__name__}: {exc} (set SHEETBILL_DEBUG=1 for details)")
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sheetbill", description="Invoices from the practice's own workbook.")
    parser.add_argument("--version", action="version", version=f"sheetbill {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    parser.add_argument("--log-format", choices=["text", "json"], default="text",
                        help="json: one JSON object a line (journald, log shippers)")
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
    p.add_argument("--insurance", action="store_true", help="with the superbill columns (diagnosis, insurer...)")
    p.add_argument("--vat", action="store_true", help="with the VAT columns (VAT Category, Exemption Reason, Prices) "
                   "and the client's Language")
    p.add_argument("--einvoice", action="store_true", help="with the e-invoice columns (E-Invoice, Buyer Reference) "
                   "and the VAT ones")
    p.add_argument("--config", "-c", type=Path, default=Path(DEFAULT_CONFIG),
                   help=f"with --google: the config file (default: ./{DEFAULT_CONFIG})")
    p = command("auth", _auth, "sign in to Google (or Xero or QuickBooks, for the accounting sync) once; the token "
                "is stored readable only by you")
    p.add_argument("provider", choices=["google", "xero", "quickbooks"])
    p.add_argument("--client-id", help="xero, quickbooks: the app's client id (its secret from "
                   "SHEETBILL_XERO_CLIENT_SECRET or SHEETBILL_QUICKBOOKS_CLIENT_SECRET)")
    p.add_argument("--port", type=int, default=8765, help="xero, quickbooks: the redirect URI's port (default 8765)")
    p.add_argument("--organisation", default="", help="xero: the organisation, where several are connected")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--client-secrets", type=Path, help="the OAuth client file (type Desktop app) from Google Cloud")
    how.add_argument("--service-account", type=Path, help="a service-account key file, instead of signing in")
    p.add_argument("--no-browser", action="store_true", help="print the sign-in address instead of opening a browser")
    command("run", _run, "run one cycle: invoice completed sessions, render, email")
    command("preview", _preview, "show what the next run would do; writes nothing")
    command("watch", _watch, "run cycles on the configured schedule until stopped (Ctrl-C)")
    p = command("status", _status, "the last cycles of run and watch, and how each ended (from the small log "
                "beside the workbook)")
    p.add_argument("--last", type=int, default=20, help="how many cycles (default 20)")
    p = command("statement", _statement, "a client's statement of account as PDF (and by email with --email)")
    p.add_argument("client", help="Client ID or exact name")
    p.add_argument("--from", dest="date_from", required=True, type=_date, help="first day, e.g. 2026-10-01")
    p.add_argument("--to", dest="date_to", required=True, type=_date, help="last day, e.g. 2026-10-31")
    p.add_argument("--email", action="store_true", help="also email it to the client (once per period)")
    p = command("superbill", _superbill, "a client's superbill for their insurer as PDF (and by email with --email)")
    p.add_argument("client", help="Client ID or exact name")
    p.add_argument("--from", dest="date_from", required=True, type=_date, help="first day of service, e.g. 2026-10-01")
    p.add_argument("--to", dest="date_to", required=True, type=_date, help="last day of service, e.g. 2026-10-31")
    p.add_argument("--email", action="store_true", help="also email it to the client (once per period)")
    p.add_argument("--cms1500", action="store_true", help="also the CMS-1500 (02/12) data for the red paper form")
    p = command("export", _export, "write the period's invoices, credit notes and payments for an accounting system")
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = _export_formats()
    p.add_argument("format", choices=_export_names(), metavar="FORMAT", help="datev, xero, quickbooks, iif or csv")
    p.add_argument("--from", dest="date_from", required=True, type=_date, help="first day, e.g. 2026-10-01")
    p.add_argument("--to", dest="date_to", required=True, type=_date, help="last day, e.g. 2026-10-31")
    p.add_argument("--out", type=Path, help="the file to write, or an existing folder to write it into "
                   "(default: exports/ beside the config)")
    p = command("invoice", _invoice, "an invoice as it stands today (paid, partially paid, with its payments) "
                "as a new PDF beside the original; with --email, sent to the client")
    p.add_argument("invoice_no", help="the Invoice No, e.g. INV-2026-0001")
    p.add_argument("--email", action="store_true", help="also email it to the client (once a day)")
    p = command("resolve", _resolve, "answer for a reminder or statement whose sending was interrupted "
                "(`run` names it): it went out (--sent), or send it again (--resend)")
    p.add_argument("key", help="as `run` names it, e.g. reminder/INV-2026-0001")
    answer = p.add_mutually_exclusive_group(required=True)
    answer.add_argument("--sent", action="store_true", help="it is in the Sent folder: record it as sent")
    answer.add_argument("--resend", action="store_true", help="it is not: the next run sends it again")
    command("audit", _audit, "check the Changelog's hash chain, the number series and the ledger's sums")
    p = command("bank", _bank, "import a bank statement (CAMT.053 or MT940): credits into Bank, matched ones "
                "into Payments")
    p.add_argument("action", choices=["import"])
    p.add_argument("file", type=Path, help="the statement file the bank gives")
    p = command("webhook", _webhook, "listen for Stripe's webhook: each signed event runs a cycle "
                "(payments.stripe; every run reads Stripe's events anyway)")
    p.add_argument("--port", type=int, default=8080, help="the port Stripe posts to (default 8080)")
    p.add_argument("--host", default="0.0.0.0", help="the address to listen on (default all)")
    p = command("check", _check, "check the config, workbook, templates and mail settings")
    p.add_argument("--offline", action="store_true", help="do not connect to the mail server")
    return parser


def _init(args) -> int:
    if args.google:
        for line in app.init_google(config_mod.load(args.config), args.google,
                                    capabilities=init_capabilities(args.insurance, args.vat, args.einvoice)):
            print(line)
        print(f"Next: `sheetbill check --config {args.config}`")
        return 0
    if args.dir is None:
        raise SheetbillError("give a folder (sheetbill init DIR) or a Google Sheet (sheetbill init --google ID)")
    workbook, config = app.init_practice(args.dir, insurance=args.insurance,
                                         extra=init_capabilities(vat=args.vat, einvoice=args.einvoice))
    print(f"Created {workbook}\nCreated {config}\nNext: replace each CHANGE-ME in {config.name} with the practice's "
          f"own details, fill Clients and Services, log Sessions, "
          f"then `sheetbill run --config {config}`")
    return 0


def _auth(args) -> int:
    if args.provider == "quickbooks":
        print(app.sign_in_quickbooks(config_mod.load(args.config), args.client_id, args.port,
                                     open_browser=not args.no_browser))
        return 0
    if args.provider == "xero":
        print(app.sign_in_xero(config_mod.load(args.config), args.client_id, args.port, args.organisation,
                               open_browser=not args.no_browser))
        return 0
    print(app.sign_in_google(config_mod.load(args.config), args.client_secrets, args.service_account,
                             open_browser=not args.no_browser))
    return 0


def _run(args) -> int:
    config = config_mod.load(args.config)
    with Stopping() as stopping:  # the timer's unit stopped mid-cycle: the cycle finishes, then run ends
        report = app.monitored(config)()
    if stopping():
        logging.getLogger("sheetbill").info("stopped after the cycle")
    if args.log_format == "json":  # the timer unit's: journald and log shippers read one entry a line
        from .watch import log_report

        log_report(report, problems=True)
        return 2 if report.errors else 0
    print(report.line())
    for problem in report.problems:
        print(f"  problem: {problem.tab} row {problem.row} ({problem.key}): {problem.message}")
    for note in report.for_a_person():
        print(f"  {note}")
    for error in report.errors:
        print(f"  error: {error}", file=sys.stderr)
    for warning in report.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
    return 2 if report.errors else 0


def _preview(args) -> int:
    from .preview import listing, preview

    config = config_mod.load(args.config)
    for line in listing(preview(config), config):
        print(line)
    return 0


def _watch(args) -> int:
    from .broken_config import watch_cannot_start
    from .config_file import ConfigFile
    from .errors import ConfigError
    from .watch import watch

    try:
        config = config_mod.load(args.config)
    except ConfigError as exc:  # a restart would fail the same way: the service's unit does not restart
        raise watch_cannot_start(Path(args.config), exc) from None
    daily = config.schedule.daily_at
    logging.getLogger("sheetbill").info("watching %s every %g min%s", config.workbook or "the Google Sheet",
                                        config.schedule.every_minutes,
                                        f" and daily at {daily:%H:%M} ({config.timezone.key})" if daily else "")
    with Stopping() as stopping:
        watch(app.watched(ConfigFile(args.config, config)), config.schedule.every_minutes, daily, stop=stopping,
              timezone=config.timezone)
    return 0


def _status(args) -> int:
    from .errors import ConfigError
    from .health import status_lines

    try:
        config = config_mod.load(args.config)
    except ConfigError as exc:  # the cycles all the same, from what of the file reads
        from . import broken_config

        for line in broken_config.status_lines(Path(args.config), exc, args.last):
            print(line)
        return 1
    for line in status_lines(config, args.last):
        print(line)
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
        stored, report = commands.statement(worker, args.client, args.date_from, args.date_to, args.email)
    except ClientProblem as exc:
        raise SheetbillError(str(exc)) from None
    return print_document("Statement", stored, report, args.email,
                          "the client has no Email, or this period's statement was emailed before")


def _superbill(args) -> int:
    from .insurance.command import superbill

    return superbill(args)


def _export_names() -> list[str]:
    from .accounting.export import FORMATS

    return list(FORMATS)


def _export_formats() -> str:
    from .accounting.export import FORMATS

    import textwrap

    return "formats:\n" + "\n".join(textwrap.fill(text, 78, initial_indent=f"  {name:<11} ", subsequent_indent=" " * 14)
                                     for name, text in FORMATS.items())


def _export(args) -> int:
    if args.date_to < args.date_from:
        raise SheetbillError(f"--to {args.date_to} is before --from {args.date_from}")
    paths, notes = app.export_accounts(config_mod.load(args.config), args.format, args.date_from, args.date_to,
                                       args.out)
    for path in paths:
        print(f"Wrote {path}")
    for note in notes:
        print(f"note: {note}")
    return 0


def _invoice(args) -> int:
    stored, report = commands.invoice_copy(app.worker_for(config_mod.load(args.config)), args.invoice_no, args.email)
    return print_document("Invoice", stored, report, args.email,
                          "the client has no Email, or it was emailed today already")


def _resolve(args) -> int:
    print(commands.resolve(app.worker_for(config_mod.load(args.config), deliver=False), args.key, args.sent))
    return 0


def _audit(args) -> int:
    found = app.audit_findings(config_mod.load(args.config))
    for line in found:
        print(line)
    if not found:
        print("OK: changelog chain intact, series gapless, ledger adds up, projections match")
    return 1 if found else 0


def _bank(args) -> int:
    result = commands.import_bank(app.worker_for(config_mod.load(args.config)), args.file)
    print(result.line())
    for m in result.matches:
        e = m.entry
        where = f"-> {m.matched_to} ({m.rule})" if m.matched_to else f"problem: {m.problem}"
        print(f"  {e.date.isoformat()} {e.amount:>10} {e.counterparty[:30]:<30} {where}")
    if result.matched:
        print("The next `sheetbill run` applies the payments and sends the receipts.")
    return 0


def _webhook(args) -> int:
    app.serve_webhook(config_mod.load(args.config), args.host, args.port)
    return 0


def _check(args) -> int:
    found = checks.findings(args.config, connect=not args.offline)
    for line in found:
        print(line)
    if not found:
        print("OK: config, workbook, templates and mail settings look right")
    return 1 if found else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
