"""The config `watch` runs on, read again when its file changes.

An edit that leaves the file invalid does not stop the worker: it goes on
with the config as it last read it, says once (per change of the file) what
is wrong and where, and takes the file again as soon as it is fixed.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from . import config as config_mod
from .config import Config
from .errors import ConfigError

log = logging.getLogger("sheetbill")


class ConfigFile:
    def __init__(self, path: Path, loaded: Config) -> None:
        self.path, self.config = Path(path), loaded
        self.problem = ""  # what is wrong with the file as it stands, or ""
        self._seen = _content(self.path)

    def current(self) -> Config:
        """The config as the file now says, or, while the file is invalid, as it last said."""
        seen = _content(self.path)
        if seen == self._seen:
            return self.config
        self._seen = seen
        try:
            self.config = config_mod.load(self.path)
        except ConfigError as exc:
            self.problem = f"{exc}; sheetbill goes on with the config as it last read it until the file is fixed"
            log.error("%s", self.problem)
            return self.config
        if self.problem:
            log.info("%s is valid again: sheetbill goes on with it", self.path.name)
        else:
            log.info("%s changed: sheetbill goes on with it", self.path.name)
        self.problem = ""
        return self.config


def _content(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # gone: loading it says so
