"""The sync's sign-in, kept in a file only its owner can read (never in the YAML)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import ConfigError


def load(path: Path, system: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: not signed in to {system}; run `sheetbill auth {system}`") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read the {system} sign-in ({exc}); run `sheetbill auth {system}` again") from None
    if not isinstance(data, dict) or data.get("system") != system:
        raise ConfigError(f"{path}: not a {system} sign-in; run `sheetbill auth {system}`")
    return data


def save(path: Path, data: dict[str, Any]) -> None:
    """Write atomically, readable and writable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True, default=str)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
