"""`--log-format json`: one JSON object a line, for journald and log shippers."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")
                 .replace("+00:00", "Z"),
                 "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False)


def configure(level: int, fmt: str) -> None:
    """The root logger's one handler, on stderr: plain lines or JSON ones. sheetbill's own
    lines from `level` up; the libraries' only when something is wrong (factur-x notes
    every file it validates, pikepdf its start, WeasyPrint and fontTools their progress)."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S"))
    # a no-op where a handler is set already (tests)
    logging.basicConfig(level=max(level, logging.WARNING), handlers=[handler])
    logging.getLogger("sheetbill").setLevel(level)
    for noisy in ("weasyprint", "fontTools"):  # warnings about a template's CSS and fonts, page after page
        logging.getLogger(noisy).setLevel(logging.ERROR)
