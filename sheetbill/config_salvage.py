"""How far a config file that does not load can still be read.

`watch` that cannot start on it and `status` still want to know where the
cycle log is (beside the workbook; a Google practice's beside the config)
and, for `watch`, how to email the practice. The file is read section by
section (a YAML error loses only the top-level section it is in), and a
value that does not read is left out (its default stands in) unless it is
one the alert relies on.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import config as config_mod
from .config import Config
from .errors import ConfigError
from .health import FILE

_TOP = re.compile(r"^([^\s#\-][^:]*):")  # a top-level key begins a section
RELIED_ON = ("workbook", "google", "practice.name", "practice.email", "email")  # where the log is, whom to tell, how
_SECTIONS = ("workbook", "google", "practice", "email")
NO_WORKBOOK = "the config file cannot be read far enough to find the workbook"


@dataclass(frozen=True)
class Readable:
    log: Path | None  # the cycle log the file names, or None
    config: Config | None  # what of the file reads, when it has what telling the practice takes
    why: str = ""  # why `log` or `config` is None


def readable(path: Path) -> Readable:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return Readable(None, None, f"{NO_WORKBOOK} (it cannot be read)")
    data, lost = _sections(text)
    log = _log(path, data)
    if log is None:
        return Readable(None, None, NO_WORKBOOK)
    for section in _SECTIONS:
        if section in lost:
            return Readable(log, None, f"the {section} section cannot be read")
    config, why = _config(path, data)
    return Readable(log, config, why)


def _sections(text: str) -> tuple[dict[str, Any], set[str]]:
    """The file's data, each top-level section parsed on its own if the whole does not parse; and the
    sections that do not."""
    try:
        whole = yaml.safe_load(text)
    except yaml.YAMLError:
        whole = None
    if isinstance(whole, Mapping):
        return dict(whole), set()
    chunks: list[list[str]] = []
    for line in text.splitlines():
        if _TOP.match(line) or not chunks:
            chunks.append([line])
        else:
            chunks[-1].append(line)
    data: dict[str, Any] = {}
    lost: set[str] = set()
    for chunk in chunks:
        try:
            part = yaml.safe_load("\n".join(chunk))
        except yaml.YAMLError:
            top = _TOP.match(chunk[0])
            lost.add(top[1].strip() if top else "")
            continue
        if isinstance(part, Mapping):
            data.update(part)
    return data, lost


def _log(path: Path, data: Mapping[str, Any]) -> Path | None:
    """As health.log_path of the config it would make."""
    workbook = data.get("workbook")
    if isinstance(workbook, str) and workbook.strip():
        return (path.parent / workbook.strip()).resolve().parent / FILE
    if isinstance(data.get("google"), Mapping):
        return path.resolve().parent / FILE
    return None


def _config(path: Path, data: dict[str, Any]) -> tuple[Config | None, str]:
    data = copy.deepcopy(data)
    key = ""
    for _ in range(100):
        try:
            return config_mod.build(path, data), ""
        except ConfigError as exc:
            found = re.match(rf"{re.escape(path.name)}: ([\w.]+): ", str(exc))
            key = found[1] if found else ""
            if not key or any(key == r or key.startswith(f"{r}.") for r in RELIED_ON) or not _drop(data, key):
                break
    return None, f"{key or 'the file'} cannot be read"


def _drop(data: dict[str, Any], key: str) -> bool:
    *parents, last = key.split(".")
    node: Any = data
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict) or last not in node:
        return False
    del node[last]
    return True
