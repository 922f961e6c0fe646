"""The export formats and the push's planning are pure: they import the core, each other and
no I/O (the SDKs, the workbook and files are in the adapter modules beside them)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sheetbill" / "accounting"
PURE = {"journal", "refunds", "mapping", "settings", "text", "datev", "xero", "quickbooks", "iif", "plain", "push", "remote"}
ALLOWED = {"__future__", "dataclasses", "datetime", "decimal", "typing", "re", "csv", "io", "unicodedata"}


def test_formats_and_planning_import_no_io():
    offenders = []
    for name in sorted(PURE):
        path = PACKAGE / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                offenders += [f"{name}: {a.name}" for a in node.names if a.name.split(".")[0] not in ALLOWED]
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level == 1 and module.split(".")[0] in PURE:
                    continue
                if node.level == 2 and module.startswith("core"):
                    continue
                if node.level == 0 and module.split(".")[0] in ALLOWED:
                    continue
                offenders.append(f"{name}: {'.' * node.level}{module}")
    assert offenders == []
