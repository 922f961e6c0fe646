"""The core imports nothing from the rest of the package and no I/O library."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "sheetbill" / "core"
ALLOWED = {"__future__", "dataclasses", "datetime", "decimal", "enum", "typing", "re", "hashlib",
           "collections", "difflib", "itertools", "functools", "math"}


def test_core_imports_only_pure_modules():
    offenders = []
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: must stay inside core
                    if node.level > 1:
                        offenders.append(f"{path.name}: from {'.' * node.level}{node.module}")
                    continue
                names = [node.module.split(".")[0]]
            else:
                continue
            offenders += [f"{path.name}: {n}" for n in names if n not in ALLOWED]
    assert offenders == []


def test_the_google_book_and_the_cell_rules_do_not_reach_into_the_excel_package():
    """The xlsx package is the Excel backend's; what every backend shares lives beside it."""
    book = CORE.parent / "book"
    offenders = []
    for path in [book / "cells.py", *sorted((book / "google").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and "xlsx" in (node.module or "").split("."):
                offenders.append(f"{path.name}: from {'.' * node.level}{node.module}")
    assert offenders == []
