"""Drive's ``q`` search language, for ``files.list``.

Supports ``and``/``or``/``not``/parentheses; ``name``, ``fullText``,
``mimeType`` with ``=``, ``!=``, ``contains``; ``'<id>' in parents``,
``'<email>' in owners/writers/readers``; ``trashed``/``starred`` with
``true``/``false``; ``properties``/``appProperties has { key='k' and
value='v' }``; ``modifiedTime``/``createdTime`` comparisons.  Strings may
use single or double quotes with ``\\`` escapes.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Callable

from .errors import legacy
from .state import DriveFile

Predicate = Callable[[DriveFile], bool]
_TOKEN = re.compile(
    r"""\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
    r"""|(?P<op>!=|<=|>=|=|<|>)|(?P<punct>[(){}])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"""
)


def invalid_query() -> Exception:
    return legacy(400, "invalid", "Invalid Value", location="q")


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise invalid_query()
        pos = match.end()
        for kind in ("str", "op", "punct", "word"):
            if match.group(kind) is not None:
                value = match.group(kind)
                if kind == "str":
                    value = re.sub(r"\\(.)", r"\1", value[1:-1])
                tokens.append((kind, value))
                break
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise invalid_query()
        self.pos += 1
        return token

    def word(self, value: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() == value:
            self.pos += 1
            return True
        return False

    def expr(self) -> Predicate:
        left = self.conj()
        while self.word("or"):
            right = self.conj()
            left = (lambda a, b: lambda f: a(f) or b(f))(left, right)
        return left

    def conj(self) -> Predicate:
        left = self.unary()
        while self.word("and"):
            right = self.unary()
            left = (lambda a, b: lambda f: a(f) and b(f))(left, right)
        return left

    def unary(self) -> Predicate:
        if self.word("not"):
            inner = self.unary()
            return lambda f: not inner(f)
        token = self.peek()
        if token == ("punct", "("):
            self.take()
            inner = self.expr()
            if self.take() != ("punct", ")"):
                raise invalid_query()
            return inner
        return self.term()

    def term(self) -> Predicate:
        kind, value = self.take()
        if kind == "str":
            if not self.word("in"):
                raise invalid_query()
            _, field = self.take()
            return _membership(value, field)
        if kind != "word":
            raise invalid_query()
        field = value
        if self.word("has"):
            return self.has(field)
        if self.word("contains"):
            return _contains(field, self.literal())
        op_kind, op = self.take()
        if op_kind != "op":
            raise invalid_query()
        return _compare(field, op, self.literal())

    def literal(self) -> Any:
        kind, value = self.take()
        if kind == "str":
            return value
        if kind == "word" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise invalid_query()

    def has(self, field: str) -> Predicate:
        if field not in ("properties", "appProperties") or self.take() != ("punct", "{"):
            raise invalid_query()
        key = value = None
        while True:
            _, name = self.take()
            if self.take() != ("op", "="):
                raise invalid_query()
            literal = self.literal()
            if name == "key":
                key = literal
            elif name == "value":
                value = literal
            else:
                raise invalid_query()
            if self.word("and"):
                continue
            if self.take() != ("punct", "}"):
                raise invalid_query()
            break

        def check(f: DriveFile) -> bool:
            bag = f.properties if field == "properties" else f.app_properties
            return key in bag and (value is None or bag[key] == value)

        return check


def _text(file: DriveFile, field: str) -> str:
    if field == "name":
        return file.name
    if field == "mimeType":
        return file.mime_type
    if field == "fullText":
        extra = file.content.decode("utf-8", "ignore") if file.content and len(file.content) < 1 << 20 else ""
        return f"{file.name} {file.description or ''} {extra}"
    raise invalid_query()


def _contains(field: str, value: Any) -> Predicate:
    """``name contains`` matches prefixes of the name or of its words, as Drive
    documents; ``fullText contains`` matches anywhere."""
    wanted = str(value).lower()
    if field == "name":
        return lambda f: f.name.lower().startswith(wanted) or any(w.startswith(wanted) for w in f.name.lower().split())
    return lambda f: wanted in _text(f, field).lower()


def _membership(value: str, field: str) -> Predicate:
    if field == "parents":
        return lambda f: value in f.parents
    if field in ("owners", "writers", "readers"):
        roles = {
            "owners": ("owner",),
            "writers": ("owner", "writer"),
            "readers": ("owner", "writer", "commenter", "reader"),
        }[field]
        return lambda f: any(p.get("emailAddress") == value and p.get("role") in roles for p in f.permissions)
    raise invalid_query()


def _compare(field: str, op: str, value: Any) -> Predicate:
    if field in ("trashed", "starred"):
        if op not in ("=", "!=") or not isinstance(value, bool):
            raise invalid_query()
        attribute = field
        return lambda f: (getattr(f, attribute) == value) == (op == "=")
    if field in ("modifiedTime", "createdTime"):
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        attribute = "modified" if field == "modifiedTime" else "created"
        ops = {"=": lambda a: a == moment, "!=": lambda a: a != moment, "<": lambda a: a < moment,
               "<=": lambda a: a <= moment, ">": lambda a: a > moment, ">=": lambda a: a >= moment}
        return lambda f: ops[op](getattr(f, attribute))
    if op not in ("=", "!="):
        raise invalid_query()
    return lambda f: (_text(f, field) == value) == (op == "=")


def compile_query(text: str | None) -> Predicate:
    """Compile a ``q`` string into a predicate over Drive files."""
    if not text or not text.strip():
        return lambda f: True
    parser = _Parser(tokenize(text))
    predicate = parser.expr()
    if parser.peek() is not None:
        raise invalid_query()
    return predicate
