"""Operational failures, as one small hierarchy. The CLI turns each into a
clear message and a non-zero exit; data problems are not exceptions but
Problem texts next to their rows."""

from datetime import datetime


class SheetbillError(Exception):
    """Base of every failure the CLI reports as a message."""

    exit_code = 1


class ConfigError(SheetbillError):
    """The config file is missing, unreadable or has a bad value (names the key)."""


class ConfigInvalid(ConfigError):
    """`watch` cannot start: its config file is invalid. A restart would not help until it is fixed."""

    exit_code = 78  # EX_CONFIG (sysexits.h); the service's unit does not restart on it


class WorkbookError(SheetbillError):
    """The workbook cannot be used as it is: missing tab or header, not a workbook."""


class WorkbookBusy(SheetbillError):
    """The workbook is open in Excel or LibreOffice, or another worker holds it."""

    exit_code = 3


class WorkbookOpen(WorkbookBusy):
    """The workbook is open in Excel or LibreOffice (its lock file is there) since `since`: a person
    works in it, and billing waits."""

    def __init__(self, message: str, since: datetime | None = None) -> None:
        super().__init__(message)
        self.since = since  # None: not known (taken as now)


class UnsafeToWrite(SheetbillError):
    """Saving would lose something the admin put in the workbook."""

    exit_code = 4


class DeliveryFailed(SheetbillError):
    """A PDF or email could not be made; the invoices are safe in the workbook."""

    exit_code = 2
