"""Replay recorded Google traffic (vcrpy cassettes) against the fake and
compare answers by shape: status code, keys present, value types.

Ids differ between Google and the fake, so the replayer learns a mapping
from each pair of answers (``id``, ``spreadsheetId``, ``sheetId`` ...) and
rewrites later requests with it.  Files the recorded account already had
(never created in the recording) are seeded into the fake first, under the
names the recording shows; one first answered 403 is seeded as private.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import requests

from . import seed
from .server import FakeGoogle

ID_KEYS = ("id", "spreadsheetId", "sheetId", "namedRangeId", "protectedRangeId", "metadataId", "documentId")
LONG_ID = re.compile(r"[A-Za-z0-9_-]{30,}")


@dataclass
class Exchange:
    """The verdict on one recorded request."""

    index: int
    method: str
    path: str
    status: tuple[int, int]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.status[0] == self.status[1] and not self.problems


@dataclass
class Verdict:
    """The verdict on one recording."""

    name: str
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(e.ok for e in self.exchanges)

    def first_problem(self) -> str:
        for e in self.exchanges:
            if not e.ok:
                detail = "; ".join(e.problems[:3]) or f"status {e.status[1]} instead of {e.status[0]}"
                return f"#{e.index} {e.method} {e.path}: {detail}"
        return ""


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def shape_diff(recorded: Any, got: Any, path: str = "$") -> list[str]:
    """Differences in shape: keys both ways, value types, empty vs non-empty lists."""
    if isinstance(recorded, dict):
        if not isinstance(got, dict):
            return [f"{path}: expected an object, got {kind(got)}"]
        problems = []
        missing, extra = recorded.keys() - got.keys(), got.keys() - recorded.keys()
        if missing:
            problems.append(f"{path}: missing {sorted(missing)}")
        if extra:
            problems.append(f"{path}: unexpected {sorted(extra)}")
        for key in recorded.keys() & got.keys():
            problems += shape_diff(recorded[key], got[key], f"{path}.{key}")
        return problems
    if isinstance(recorded, list):
        if not isinstance(got, list):
            return [f"{path}: expected a list, got {kind(got)}"]
        if bool(recorded) != bool(got):
            return [f"{path}: expected {'a non-empty' if recorded else 'an empty'} list"]
        problems = []
        for i, (a, b) in enumerate(zip(recorded, got)):
            problems += shape_diff(a, b, f"{path}[{i}]")
        return problems
    return [] if kind(recorded) == kind(got) else [f"{path}: expected {kind(recorded)}, got {kind(got)}"]


class IdMap:
    """Recorded id -> fake id, learnt from pairs of answers."""

    def __init__(self) -> None:
        self.ids: dict[Any, Any] = {}

    def learn(self, recorded: Any, got: Any) -> None:
        if isinstance(recorded, dict) and isinstance(got, dict):
            for key in recorded.keys() & got.keys():
                a, b = recorded[key], got[key]
                if key in ID_KEYS and isinstance(a, (str, int)) and not isinstance(a, bool) and type(a) is type(b):
                    self.ids.setdefault(a, b)
                else:
                    self.learn(a, b)
        elif isinstance(recorded, list) and isinstance(got, list):
            for a, b in zip(recorded, got):
                self.learn(a, b)

    def text(self, value: str) -> str:
        return LONG_ID.sub(lambda m: str(self.ids.get(m.group(0), m.group(0))), value)

    def body(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.body(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.body(v, key) for v in value]
        if key in ID_KEYS and not isinstance(value, bool) and value in self.ids:
            return self.ids[value]
        if isinstance(value, str):
            return self.text(value)
        return value


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _known_names(interactions: list[dict[str, Any]]) -> dict[str, str]:
    """Titles the recording shows for file ids (from list and get answers)."""
    names: dict[str, str] = {}
    for item in interactions:
        body = _json(item["response"]["body"]["string"]) or {}
        if not isinstance(body, dict):
            continue
        for entry in body.get("files", []):
            if "id" in entry and "name" in entry:
                names.setdefault(entry["id"], entry["name"])
        if body.get("spreadsheetId") and (body.get("properties") or {}).get("title"):
            names.setdefault(body["spreadsheetId"], body["properties"]["title"])
    return names


def seed_existing(fake: FakeGoogle, interactions: list[dict[str, Any]], ids: IdMap) -> None:
    """Seed files the recorded account had before the recording started."""
    born: set[str] = set()
    names = _known_names(interactions)
    for item in interactions:
        path = unquote(urlsplit(item["request"]["uri"]).path)
        status = item["response"]["status"]["code"]
        for file_id in LONG_ID.findall(path):
            if file_id in born or file_id in ids.ids or status == 404:
                continue
            book = seed.spreadsheet(fake.state, names.get(file_id, "Untitled spreadsheet"), private=status == 403)
            ids.ids[file_id] = book.id
        if item["request"]["method"] == "POST":
            answer = _json(item["response"]["body"]["string"])
            if isinstance(answer, dict):
                born.update(v for k, v in answer.items() if k in ("id", "spreadsheetId") and isinstance(v, str))


def replay(fake: FakeGoogle, cassette: Path, session: requests.Session | None = None) -> Verdict:
    """Replay one cassette against a freshly reset fake."""
    fake.reset()
    session = session or requests.Session()
    interactions = json.loads(cassette.read_text(encoding="utf-8"))["interactions"]
    ids = IdMap()
    seed_existing(fake, interactions, ids)
    verdict = Verdict(cassette.stem)
    for index, item in enumerate(interactions):
        recorded_request, recorded = item["request"], item["response"]
        parts = urlsplit(recorded_request["uri"])
        path = quote(ids.text(unquote(parts.path)), safe="/:!',*@$&=+;")
        url = f"{fake.base_url}{path}" + (f"?{ids.text(parts.query)}" if parts.query else "")
        headers = {"Authorization": "Bearer test"}
        for name in ("Content-Type",):
            if recorded_request["headers"].get(name):
                headers[name] = recorded_request["headers"][name][0]
        body = recorded_request["body"]
        parsed_body = _json(body) if body else None
        if parsed_body is not None:
            body = json.dumps(ids.body(parsed_body))
        data = body.encode("utf-8") if body else None
        answer = session.request(recorded_request["method"], url, data=data, headers=headers)
        want = _json(recorded["body"]["string"])
        got = _json(answer.text) if answer.content else None
        problems: list[str] = []
        if want is not None:
            ids.learn(want, got)
            problems = shape_diff(want, got) if got is not None else ["expected a JSON body"]
        elif bool(recorded["body"]["string"]) != bool(answer.content):
            problems = ["body presence differs"]
        status = (recorded["status"]["code"], answer.status_code)
        verdict.exchanges.append(Exchange(index, recorded_request["method"], parts.path, status, problems))
    return verdict
