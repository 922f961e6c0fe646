"""Switching superbills on in an existing config, for `sheetbill init --google
--insurance` (a new Excel practice gets a config with it already on)."""

from __future__ import annotations

import re
from pathlib import Path

OFF = re.compile(r"^insurance:\n  enabled: false", re.MULTILINE)  # as config.example.yaml has it
SECTION = re.compile(r"^insurance:", re.MULTILINE)
ADDED = """
insurance:                              # added by `sheetbill init --insurance`; see config.example.yaml
  enabled: true
  npi: ""                               # the practice's NPI (10 digits, checked)
  ein: ""                               # the practice's EIN, 12-3456789
  providers: {}                         # by the Sessions' Provider column, e.g.
                                        #   Maria: {name: Maria Keller, credentials: LMHC, npi: "1245319599"}
"""


def switch_on(path: Path) -> str:
    """Sets `insurance: enabled: true` in the config at `path` when it can do so
    without touching anything else; what it did, or what the admin should do."""
    text = path.read_text(encoding="utf-8")
    if OFF.search(text):
        path.write_text(OFF.sub("insurance:\n  enabled: true ", text, count=1), encoding="utf-8")
    elif not SECTION.search(text):
        path.write_text(text.rstrip("\n") + "\n" + ADDED, encoding="utf-8")
    else:
        return f"note: set `enabled: true` in the insurance: section of {path.name} for superbills"
    return f"switched superbills on in {path.name}: give the practice's npi and ein, and its providers, there"
