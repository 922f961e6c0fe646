"""The fake's view of one HTTP exchange: a parsed request and an answer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import ApiError

JSON_TYPE = "application/json; charset=UTF-8"


@dataclass
class Request:
    """One HTTP request as the handlers see it.

    ``api`` and ``method_id`` (a discovery id such as
    ``sheets.spreadsheets.values.get``) and ``params`` (path parameters) are
    filled in by the router.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""
    api: str = ""
    method_id: str = ""
    params: dict[str, str] = field(default_factory=dict)
    writes: bool = False
    _json: Any = None
    _json_loaded: bool = False
    url_length: int = 0  # of the request target, path and query

    @classmethod
    def parse(cls, method: str, target: str, headers: dict[str, str], body: bytes) -> Request:
        parts = urlsplit(target)
        query = parse_qs(parts.query, keep_blank_values=True)
        lowered = {k.lower(): v for k, v in headers.items()}
        return cls(method.upper(), parts.path, query, lowered, body, url_length=len(target))

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name: str) -> list[str]:
        """Every value of a repeated query parameter."""
        return list(self.query.get(name, []))

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.arg(name)
        if value is None:
            return default
        return value.lower() in ("true", "1")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        """The body parsed as JSON (``{}`` when empty); 400 when malformed."""
        if not self._json_loaded:
            self._json_loaded = True
            text = self.body.decode("utf-8", "replace").strip()
            if not text:
                self._json = {}
            else:
                try:
                    self._json = json.loads(text)
                except ValueError as exc:
                    raise ApiError(
                        400, f"Invalid JSON payload received. {exc}."
                    ) from None
        return self._json

    def set_json(self, value: Any) -> None:
        """Replace the parsed body (used after validation normalises it)."""
        self._json = value
        self._json_loaded = True


@dataclass
class Response:
    """An answer: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, obj: Any, status: int = 200, headers: dict[str, str] | None = None, compact: bool = False) -> Response:
        """JSON as Google sends it: indented, or compact when asked with ``prettyPrint=false``."""
        layout: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
        data = json.dumps(obj, ensure_ascii=False, **layout).encode("utf-8")
        return cls(status, data, {"Content-Type": JSON_TYPE, **(headers or {})})

    @classmethod
    def raw(cls, data: bytes, content_type: str, status: int = 200) -> Response:
        return cls(status, data, {"Content-Type": content_type})

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        return cls(status, b"", {"Content-Type": "text/html"})

    @classmethod
    def error(cls, err: ApiError) -> Response:
        return cls.json(err.body(), err.code, err.headers)


DROP = Response(0)
"""Sentinel answer: close the connection without sending anything."""
