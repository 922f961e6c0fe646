"""The statement drop folder (`payments.bank.folder`): the files a cycle imports.

Each file once, by content digest (the same record `sheetbill bank import`
keeps): a file renamed, copied again or left in the folder adds nothing.
Hidden and temporary files (a bank's export still being written) wait.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .bank_import import STATE_PREFIX
from .entries import file_digest

SUFFIXES = (".xml", ".camt", ".053", ".sta", ".mt940", ".940", ".txt", ".csv")


def new_statements(folder: Path, state: Mapping[str, str]) -> list[Path]:
    """The folder's statement files not imported yet, oldest name first; none if the folder is missing."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~")) or path.suffix.lower() not in SUFFIXES:
            continue
        try:
            digest = file_digest(path)[:32]
        except OSError:
            continue
        if STATE_PREFIX + digest not in state:
            out.append(path)
    return out
