"""Wiring: a config becomes a worker with its book, renderer and transport."""

from __future__ import annotations

import os
import shutil
from functools import partial
from pathlib import Path

from .book.create import create_workbook
from .book.excel import ExcelBook
from .book.schema import DEFAULT_TABS
from .config import PACKAGE_TEMPLATES, Config
from .errors import ConfigError, SheetbillError
from .worker import Clock, Worker

EXAMPLE_CONFIG = PACKAGE_TEMPLATES.parent / "config.example.yaml"


def book_for(config: Config):
    if config.workbook is not None:
        return ExcelBook(config.workbook, config.tabs, config.backups)
    raise ConfigError(f"{config.path.name}: google: the Google Sheets backend is not available in this version")


def renderer_for(config: Config):
    if config.render.engine == "html":
        from .render.html import HtmlRenderer
        return HtmlRenderer(config.render.template)
    if config.render.engine == "docx":
        from .render.docx import DocxRenderer
        return DocxRenderer(config.render.template)
    raise ConfigError(f"{config.path.name}: render.engine: gdocs needs the Google backend")


def transport_for(config: Config):
    email = config.email
    if email.transport == "none":
        return None
    if email.transport == "outbox":
        from .deliver.outbox import OutboxTransport
        return OutboxTransport(email.outbox)
    if email.transport == "smtp":
        from .deliver.smtp import SmtpTransport
        smtp = email.smtp
        password = os.environ.get(smtp.password_env) if smtp.password_env else None
        if smtp.username and not password:
            raise ConfigError(f"{config.path.name}: email.smtp.password_env: the environment variable "
                              f"{smtp.password_env} is not set (the SMTP password is never kept in the YAML)")
        return SmtpTransport(smtp.host, smtp.port, smtp.security, smtp.username or None, password,
                             timeout=smtp.timeout_seconds)
    raise ConfigError(f"{config.path.name}: email.transport: gmail needs the Google backend")


def worker_for(config: Config, clock: Clock | None = None, deliver: bool = True) -> Worker:
    from .deliver.message import invoice_message
    from .render.files import store_pdf

    email = config.email
    message = partial(_message, invoice_message, email)
    return Worker(config, book_for(config), renderer_for(config) if deliver else None,
                  transport_for(config) if deliver else None, clock, store_pdf=store_pdf, message=message)


def _message(build, email, doc, pdf: bytes, pdf_name: str):
    return build(doc, pdf, pdf_name, email.sender, email.subject_template, email.body_template,
                 reply_to=email.reply_to or None, bcc=email.bcc or None)


def init_practice(folder: Path) -> tuple[Path, Path]:
    """`sheetbill init DIR`: the workbook, the config and a copy of the templates."""
    folder.mkdir(parents=True, exist_ok=True)
    workbook, config = folder / "practice.xlsx", folder / "sheetbill.yaml"
    for path in (workbook, config):
        if path.exists():
            raise SheetbillError(f"{path} already exists; nothing was changed")
    create_workbook(workbook, DEFAULT_TABS)
    shutil.copyfile(EXAMPLE_CONFIG, config)
    target = folder / "templates"
    if not target.exists():
        shutil.copytree(PACKAGE_TEMPLATES, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return workbook, config


def audit_findings(config: Config) -> list[str]:
    """`sheetbill audit`: the hash chain, the number series, the ledger's sums and the projections."""
    from .book import records
    from .core.audit import audit

    book = book_for(config)
    snapshot = book.read(history=True)
    ledger = records.ledger(snapshot.tables, config.day_first)
    rules = config.rules
    patterns = {"invoice": rules.invoice_pattern, "credit_note": rules.credit_note_pattern,
                "receipt": rules.receipt_pattern}
    return audit(records.changes(snapshot.tables["changelog"]), ledger.invoices, ledger.sessions,
                 ledger.payments, patterns, rules.minor_unit)
