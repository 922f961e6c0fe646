"""Wiring: a config becomes a worker with its book, renderer and transport."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

from . import progress
from .book.create import create_workbook
from .book.excel import ExcelBook
from .book.schema import DEFAULT_TABS
from . import config as config_mod
from .config import PACKAGE_TEMPLATES, Config
from .errors import ConfigError, SheetbillError
from .health import CycleLog, health_for, log_path
from .render.store import PdfStore
from .clock import Clock, SystemClock
from .config_file import ConfigFile
from .worker import Worker

EXAMPLE_CONFIG = PACKAGE_TEMPLATES.parent / "config.example.yaml"
INSURANCE_OFF, INSURANCE_ON = "insurance:\n  enabled: false", "insurance:\n  enabled: true "


GOOGLE_ENDPOINT = "SHEETBILL_GOOGLE_ENDPOINT"  # another host for every Google call (an emulator, the tests' fake)


def google_for(config: Config, google=None):
    """The one connection to Google of a config (`google` given: that one)."""
    if google is not None:
        return google
    if config.google is None:
        raise ConfigError(f"{config.path.name}: this needs the google: section")
    from .google.auth import connect
    return connect(config.google, config.email.transport == "gmail", os.environ.get(GOOGLE_ENDPOINT) or None)


def book_for(config: Config, clock: Clock | None = None, google=None):
    if config.workbook is not None:
        if clock is not None:
            return ExcelBook(config.workbook, config.tabs, config.backups, zone=config.timezone, now=clock.now)
        return ExcelBook(config.workbook, config.tabs, config.backups, zone=config.timezone)
    from .book.google import GoogleBook
    assert config.google is not None  # a config names a workbook or has a google: section
    if clock is not None:
        return GoogleBook(google_for(config, google), config.google.spreadsheet_id, config.tabs, now=clock.now)
    return GoogleBook(google_for(config, google), config.google.spreadsheet_id, config.tabs)


def renderer_for(config: Config, google=None):
    """The invoice renderer; a template that is missing or broken is a config error naming render.template."""
    from .render.errors import RenderError

    try:
        return _renderer(config, google)
    except RenderError as exc:
        if config.render.engine == "gdocs":
            raise
        raise ConfigError(f"{config.path.name}: render.template: {exc}") from None


def email_templates(config: Config) -> None:
    """The email templates load (ConfigError naming the key if one does not): checked before a run bills
    anything, else every cycle would make invoices whose emails cannot be written."""
    from .render.errors import RenderError
    from .render.template import load_template

    if config.email.transport == "none":
        return
    for key, path in (("email.subject_template", config.email.subject_template),
                      ("email.body_template", config.email.body_template)):
        try:
            load_template(path, autoescape=False)
        except RenderError as exc:
            raise ConfigError(f"{config.path.name}: {key}: {exc}") from None


def _renderer(config: Config, google=None):
    if config.render.engine == "gdocs":
        from .render.gdocs import GoogleDocsRenderer
        assert config.google is not None  # config.load requires the google: section for gdocs
        return GoogleDocsRenderer(google_for(config, google), config.google.docs_template, config.google.drive_folder)
    if config.render.engine == "html":
        from .render.html import HtmlRenderer
        return HtmlRenderer(config.render.template)
    if config.render.engine == "docx":
        from .render.docx import DocxRenderer
        return DocxRenderer(config.render.template)
    raise ConfigError(f"{config.path.name}: render.engine: unknown engine {config.render.engine}")


def transport_for(config: Config, may_send=None, google=None):
    """`may_send()`: asked before each email (the Google book's lease)."""
    email = config.email
    if email.transport == "none":
        return None
    if email.transport == "outbox":
        from .deliver.outbox import OutboxTransport
        return OutboxTransport(email.outbox)
    if email.transport == "smtp":
        from .deliver.smtp import SmtpTransport, as_security
        smtp = email.smtp
        assert smtp is not None  # config.load reads the smtp: section for the smtp transport
        password = os.environ.get(smtp.password_env) if smtp.password_env else None
        if smtp.username and not password:
            raise ConfigError(f"{config.path.name}: email.smtp.password_env: the environment variable "
                              f"{smtp.password_env} is not set: set it to the SMTP password "
                              f"({config_mod.WHERE_SECRETS_GO}); it is never kept in the YAML")
        return SmtpTransport(smtp.host, smtp.port, as_security(smtp.security), smtp.username or None, password,
                             timeout=smtp.timeout_seconds,
                             login_hint=f"check email.smtp.username and the password in {smtp.password_env}")
    from .deliver.gmail import GmailTransport
    return GmailTransport(google_for(config, google), may_send)


def pdf_store_for(config: Config, google=None) -> PdfStore:
    """Where PDFs are kept: the Drive folder of a Google config, else render.output."""
    if config.google is not None and config.google.drive_folder:
        return drive_folder_for(config, google)
    from .render.folder import LocalFolder
    return LocalFolder(config.render.output, config.path.parent)


def drive_folder_for(config: Config, google=None):
    """The Drive folder a Google config keeps its PDFs in."""
    from .render.drive import DriveFolder
    assert config.google is not None and config.google.drive_folder  # asked only of a config that names one
    return DriveFolder(google_for(config, google), config.google.drive_folder)


def worker_for(config: Config, clock: Clock | None = None, deliver: bool = True, google=None) -> Worker:
    """`google`: a ready connection to Google instead of signing in with the config's credentials."""
    from .deliver.message import invoice_message

    from .placeholders import refuse_placeholders

    if deliver:
        refuse_placeholders(config)  # nothing goes out under `init`'s CHANGE-ME details
        email_templates(config)
    email = config.email
    message = partial(_message, invoice_message, email)
    book = book_for(config, clock, google)
    renderer = renderer_for(config, google) if deliver else None
    return Worker(config, book, renderer,
                  transport_for(config, book.hold, google) if deliver else None, clock,
                  pdfs=pdf_store_for(config, google), message=message,
                  receipts=receipt_renderer(config) if deliver else None,
                  statements=statement_renderer(config) if deliver else None,
                  superbills=superbills_for(config, deliver),
                  accounting=accounting_for(config) if deliver else None,
                  health=CycleLog(log_path(config)).dashboard, render_all=pooled(config, renderer),
                  card=card_payments_for(config) if deliver else None)


def pooled(config: Config, renderer):
    """Many invoice PDFs at once: HTML in a pool of processes (render/pool.py), Word through one
    LibreOffice per batch; Google Docs one by one."""
    if renderer is not None and config.render.engine == "docx":
        return lambda docs: renderer.render_all(docs)
    if renderer is None or config.render.engine != "html":
        return None
    from .render.pool import HtmlPool
    return HtmlPool(lambda doc: renderer.render(doc), config.render.template).render_all


def monitored(config: Config, worker: Worker | None = None, make: Callable[[], Worker] | None = None):
    """One cycle per call, each recorded beside the workbook (`sheetbill status`), alerting the practice
    after failed cycles in a row. Without a `worker` it is made (`make`, else from the config) in the
    first cycle, and again in the next while it cannot be (a template missing, the SMTP password's
    variable not set): each such cycle is a failed one, and the one after the fix goes on."""
    made: list[Worker] = [worker] if worker is not None else []
    monitor = health_for(config, worker.transport if worker is not None else alert_transport(config),
                         (worker.clock if worker is not None else SystemClock()).now)

    def run_once():
        if not made:
            made.append(make() if make is not None else worker_for(config))
            monitor.transport, monitor.now = made[0].transport, made[0].clock.now
        return made[0].run_once()
    return monitor.monitored(run_once)


def watched(configs: ConfigFile, make: Callable[[Config], Worker] | None = None):
    """`watch`'s cycle: `monitored` on the config as its file stands, made again when the file changes;
    while the file is invalid, on the config as last read, what is wrong noted for `status` and the
    Dashboard. `make`: how a worker is made of a config (else `worker_for`)."""
    running: dict = {}

    def run_once():
        config = configs.current()
        if running.get("config") is not config:
            running["config"] = config
            running["cycle"] = monitored(config, make=(lambda: make(config)) if make is not None else None)
        CycleLog(log_path(config)).config_problem(configs.problem)
        return running["cycle"]()
    return run_once


def alert_transport(config: Config):
    """How the practice is told while no worker could be made: the config's email, if it can be had
    (and not while `init`'s placeholders stand: nothing is sent under them)."""
    from .placeholders import placeholder_keys

    if placeholder_keys(config):
        return None
    try:
        return transport_for(config)
    except SheetbillError:
        return None


def serve_webhook(config: Config, host: str, port: int) -> None:
    """`sheetbill webhook`: each signed Stripe event runs a cycle (payments/webhook.py)."""
    import logging

    from .payments.webhook import serve

    if config.stripe is None:
        raise ConfigError(f"{config.path.name}: the webhook needs the payments.stripe section")
    secret = os.environ.get(config.stripe.webhook_secret_env)
    if not secret:
        raise ConfigError(f"{config.path.name}: payments.stripe.webhook_secret_env: the environment variable "
                          f"{config.stripe.webhook_secret_env} is not set (the endpoint's signing secret)")
    worker = worker_for(config)
    serve(secret, lambda: logging.getLogger("sheetbill").info(worker.run_once().line()), host, port)


STRIPE_ENDPOINT = "SHEETBILL_STRIPE_ENDPOINT"  # another host for the Stripe API (the tests' fake)


def card_payments_for(config: Config):
    """Card pay links, events and AutoPay on Stripe (`payments.stripe`), or None."""
    settings = config.stripe
    if settings is None:
        return None
    secret = os.environ.get(settings.secret_key_env)
    if not secret:
        raise ConfigError(f"{config.path.name}: payments.stripe.secret_key_env: the environment variable "
                          f"{settings.secret_key_env} is not set (the Stripe key is never kept in the YAML)")
    from .payments.card_cycle import CardPayments
    from .payments.card_money import card_unit
    from .payments.stripe_gateway import StripeGateway

    gateway = StripeGateway(secret, os.environ.get(STRIPE_ENDPOINT) or None)
    currency = config.practice.currency
    return CardPayments(gateway, settings, currency, card_unit(currency), config.timezone)


def superbills_for(config: Config, deliver: bool = True):
    """The superbill side of a practice whose config switches insurance on, else None."""
    if config.insurance is None:
        return None
    from .insurance.run import Superbills
    from .render.html import HtmlRenderer
    from .render.superbill import SUPERBILL

    renderer = HtmlRenderer(template(config, "superbill.html"), SUPERBILL) if deliver else None
    return Superbills(config.insurance, renderer, config.day_first, template(config, "cms1500.html"),
                      template(config, "cms1500.yaml"))


XERO_ENDPOINT = "SHEETBILL_XERO_ENDPOINT"  # another host for the Xero API (the tests' fake)
QUICKBOOKS_ENDPOINT = "SHEETBILL_QUICKBOOKS_ENDPOINT"  # another host for QuickBooks and Intuit's sign-in


def accounting_credentials(config: Config) -> Path:
    settings = config.accounting
    return config.path.parent / (settings.credentials or f"{settings.sync}-token.json")


XERO_SECRET = "SHEETBILL_XERO_CLIENT_SECRET"


def _oauth_app(config: Config, client_id: str | None, vendor: str, command: str, secret_env: str,
               default_file: str, open_browser: bool) -> tuple[str, str, Path, Callable[[str], None]]:
    """What a sign-in needs (`sheetbill auth xero|quickbooks`): the app's client id and secret (from the
    environment, never the YAML), where the token goes, and how the sign-in address is shown."""
    import webbrowser

    if not client_id:
        raise ConfigError(f"give the {vendor} app's client id: sheetbill auth {command} --client-id ID")
    secret = os.environ.get(secret_env)
    if not secret:
        raise ConfigError(f"set the environment variable {secret_env} to the {vendor} app's client secret "
                          "(it is never kept in the YAML)")
    target = config.path.parent / (config.accounting.credentials or default_file)
    where = "Xero" if command == "xero" else "QuickBooks"

    def show(url: str) -> None:
        if not (open_browser and webbrowser.open(url)):
            print(f"Open this address to sign in to {where}:\n{url}", flush=True)

    return client_id, secret, target, show


def sign_in_xero(config: Config, client_id: str | None, port: int = 8765, organisation: str = "",
                 open_browser: bool = True) -> str:
    """`sheetbill auth xero`: the sign-in stored at accounting.credentials (owner-only)."""
    from .accounting import xero_auth

    client_id, secret, target, show = _oauth_app(config, client_id, "Xero", "xero", XERO_SECRET, "xero-token.json",
                                                 open_browser)
    name = xero_auth.sign_in(client_id, secret, target, show, port, organisation, os.environ.get(XERO_ENDPOINT) or None)
    return f"Signed in to Xero ({name}); the token is in {target} (readable only by you)."


QUICKBOOKS_SECRET = "SHEETBILL_QUICKBOOKS_CLIENT_SECRET"


def sign_in_quickbooks(config: Config, client_id: str | None, port: int = 8765, open_browser: bool = True) -> str:
    """`sheetbill auth quickbooks`: the sign-in stored at accounting.credentials (owner-only)."""
    from .accounting import quickbooks_auth

    client_id, secret, target, show = _oauth_app(config, client_id, "Intuit", "quickbooks", QUICKBOOKS_SECRET,
                                                 "quickbooks-token.json", open_browser)
    realm = quickbooks_auth.sign_in(client_id, secret, target, show, port, os.environ.get(QUICKBOOKS_ENDPOINT) or None)
    return f"Signed in to QuickBooks (company {realm}); the token is in {target} (readable only by you)."


def accounting_for(config: Config):
    """The accounting system the worker pushes to (`accounting: xero`), or None."""
    if config.accounting.sync == "quickbooks":
        from .accounting import quickbooks_connect

        return quickbooks_connect.books(accounting_credentials(config), config.accounting,
                                        config.practice.minor_unit, os.environ.get(QUICKBOOKS_ENDPOINT) or None)
    if config.accounting.sync != "xero":
        return None
    from .accounting import xero_connect

    return xero_connect.books(accounting_credentials(config), config.accounting, config.practice.minor_unit,
                              os.environ.get(XERO_ENDPOINT) or None)


def template(config: Config, name: str) -> Path:
    """A template of the practice's folder, else the one sheetbill ships (older practices lack some)."""
    own = config.render.template.parent / name
    return own if own.exists() else PACKAGE_TEMPLATES / name


def statement_renderer(config: Config):
    from .render.html import HtmlRenderer
    from .render.statement import STATEMENT

    return HtmlRenderer(template(config, "statement.html"), STATEMENT)


def receipt_renderer(config: Config):
    from .render.html import HtmlRenderer
    from .render.receipt import RECEIPT

    return HtmlRenderer(template(config, "receipt.html"), RECEIPT)


def message_for(config: Config):
    """How an invoice's email is written: `message(doc, pdf, pdf_name)`."""
    from .deliver.message import invoice_message

    return partial(_message, invoice_message, config.email)


def _message(build, email, doc, pdf: bytes, pdf_name: str, *, written, workbook: str):
    return build(doc, pdf, pdf_name, email.sender, email.subject_template, email.body_template,
                 reply_to=email.reply_to or None, bcc=email.bcc or None, written=written, workbook=workbook)


def init_practice(folder: Path, insurance: bool = False, extra: frozenset[str] = frozenset()) -> tuple[Path, Path]:
    """`sheetbill init DIR`: the workbook, the config and a copy of the templates;
    with `insurance`, the superbill columns and the config's insurance switched on;
    with `extra` capabilities (book.schema.init_capabilities), their optional columns."""
    folder.mkdir(parents=True, exist_ok=True)
    workbook, config = folder / "practice.xlsx", folder / "sheetbill.yaml"
    for path in (workbook, config):
        if path.exists():
            raise SheetbillError(f"{path} already exists; nothing was changed")
    create_workbook(workbook, DEFAULT_TABS, capabilities=frozenset({"insurance"} if insurance else ()) | extra)
    shutil.copyfile(EXAMPLE_CONFIG, config)
    if insurance:
        config.write_text(config.read_text(encoding="utf-8").replace(INSURANCE_OFF, INSURANCE_ON), encoding="utf-8")
    target = folder / "templates"
    if not target.exists():
        shutil.copytree(PACKAGE_TEMPLATES, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return workbook, config


def audit_findings(config: Config) -> list[str]:
    """`sheetbill audit`: the hash chain, the number series, the ledger's sums and the projections."""
    from .book import records
    from .core.audit import audit
    from .core.delivery import unknown_outcomes
    from .core.issued import receipts_issued

    book = book_for(config)
    snapshot = book.read(history=True)
    ledger = records.ledger(snapshot.tables, config.day_first)
    rules = config.rules
    patterns = {"invoice": rules.invoice_pattern, "credit_note": rules.credit_note_pattern,
                "receipt": rules.receipt_pattern}
    unknown = unknown_outcomes(ledger.invoices, ledger.payments, snapshot.state) \
        if config.email.transport == "smtp" else []  # other transports look them up on the next run
    return audit(records.changes(snapshot.tables["changelog"]), ledger.invoices, ledger.sessions,
                 ledger.payments, patterns, rules.minor_unit, [u.message for u in unknown],
                 clients=ledger.clients, receipts_issued=receipts_issued(snapshot.state))


def export_accounts(config: Config, fmt: str, date_from, date_to, out: Path | None = None):
    """`sheetbill export`: the period's invoices, credit notes and payments as FORMAT's files
    (beside the config in exports/, or at `out`: a file, or a folder to write them into); returns
    (paths, notes)."""
    from .accounting import export
    from .accounting.journal import journal
    from .accounting.datev import PeriodProblem
    from .accounting.mapping import MappingProblem
    from .book import records

    with progress.stage("reading", min_items=progress.BIG_CYCLE) as found:
        snapshot = book_for(config).read()
        ledger = records.ledger(snapshot.tables, config.day_first)
        found(len(ledger.sessions), "sessions")
    books = journal(ledger, date_from, date_to, config.rules.credit_note_pattern, config.practice.currency)
    try:
        with progress.stage(f"{fmt} export", len(books.sales) + len(books.payments), "invoices and payments",
                            min_items=progress.MIN_ITEMS):
            made = export.files(fmt, books, config.accounting, config.day_first, config.practice.minor_unit)
    except MappingProblem as exc:
        raise ConfigError(f"{config.path.name}: accounting: {exc}") from None
    except PeriodProblem as exc:  # the command's --from/--to, not the config
        raise SheetbillError(str(exc)) from None
    return export.write(made, config.path.parent / "exports", out), made.notes


def init_google(config: Config, spreadsheet_id: str, google=None, capabilities: frozenset[str] = frozenset(),
                ) -> list[str]:
    """`sheetbill init --google ID`: the spreadsheet made ready (tabs, headers,
    dropdowns, formats, protection; the admin's data untouched), a Drive folder
    and a starter Docs template where the config names none, and the email
    templates beside the config; with "insurance" in `capabilities`, the superbill columns and the
    config's insurance switched on. Returns what was done, one line each."""
    import random

    from .google.errors import explain
    from .google.retry import ApiFailure
    from .book.google.setup import set_up
    from .render.drive import create_folder
    from .render.gdocs import create_template

    google = google_for(config, google)
    assert config.google is not None  # google_for refuses a config without the google: section
    rng = random.Random()
    try:
        with progress.stage(f"setting up {spreadsheet_id}"):
            done = set_up(google, spreadsheet_id, config.tabs, lambda: rng.randint(1, 2**31 - 1),
                          capabilities=capabilities)
        folder = config.google.drive_folder
        if not folder:
            folder = create_folder(google, "sheetbill invoices")
            done.append(f"created a Drive folder for the PDFs: set `drive_folder: {folder}` in the google: section")
        if not config.google.docs_template:
            template = create_template(google, folder)
            done.append(f"created a Docs invoice template: to use it, set `docs_template: {template}` in the "
                        "google: section and `engine: gdocs` in render:")
    except ApiFailure as failure:
        raise SheetbillError(explain(failure, f"setting up {spreadsheet_id}")) from None
    if spreadsheet_id != config.google.spreadsheet_id:
        done.append(f"note: {config.path.name} names another spreadsheet; set `spreadsheet_id: {spreadsheet_id}`")
    target = config.path.parent / "templates"
    if not target.exists():
        shutil.copytree(PACKAGE_TEMPLATES, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        done.append(f"copied the email and PDF templates to {target}")
    if "insurance" in capabilities and config.insurance is None:
        from .insurance.switch import switch_on

        done.append(switch_on(config.path))
    return done


def sign_in_google(config: Config, client_secrets: Path | None = None, service_account: Path | None = None,
                   open_browser: bool = True) -> str:
    """`sheetbill auth google`: store the credentials at google.credentials (owner-only); what to do next."""
    from .google import auth as google_auth

    if config.google is None:
        raise ConfigError(f"{config.path.name}: google: add a google: section with spreadsheet_id first")
    target = config.google.credentials
    if service_account is not None:
        email = google_auth.keep_service_account(service_account, target)
        return (f"Stored the service-account key in {target} (readable only by you). Share the spreadsheet, "
                f"the Drive folder and the Docs template with {email} as Editor.")
    secrets = client_secrets or config.google.client_secrets
    if secrets is None:
        raise ConfigError(f"{config.path.name}: google.client_secrets: name the OAuth client file "
                          "(or pass --client-secrets FILE, or --service-account KEY)")
    wanted = google_auth.scopes(config.email.transport == "gmail", service_account=False)
    account = google_auth.sign_in(secrets, wanted, target, open_browser)
    return f"Signed in as {account}; the token is in {target} (readable only by you)."
