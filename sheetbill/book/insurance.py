"""The optional insurance columns as records (`core.insurance.Coding`).

Absent columns read as empty: a practice that gives no superbills has no
such columns and gets an empty `Coding`. A cell that cannot be read (a Date
of Birth that is no date, a Superbill that is neither Yes nor No) becomes a
sentence in `errors`, shown next to the client's sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.insurance import Coding, InsuredClient, ServiceCoding, SessionCoding
from . import cells
from .table import Table


@dataclass
class InsuranceRead:
    coding: Coding
    errors: dict[str, list[str]] = field(default_factory=dict)  # Client ID -> what cannot be read


def read(tables: dict[str, Table], day_first: bool = True) -> InsuranceRead:
    errors: dict[str, list[str]] = {}
    return InsuranceRead(Coding(clients=_clients(tables["clients"], day_first, errors),
                                sessions=_sessions(tables["sessions"]),
                                services=_services(tables["services"], day_first)), errors)


def has_columns(table: Table) -> bool:
    return any(c.capability and c.field in table.columns for c in table.tab.columns)


def _text(table: Table, values, name: str) -> str:
    try:
        return cells.text(table.get(values, name), table.headers[name])
    except cells.CellProblem:
        return ""


def _clients(table: Table, day_first: bool, errors: dict[str, list[str]]) -> dict[str, InsuredClient]:
    out = {}
    for _, values in table.rows:
        client_id = _text(table, values, "client_id")
        if not client_id or "superbill" not in table.columns:
            continue
        problems = []
        try:
            superbill = cells.flag(table.get(values, "superbill"), table.headers["superbill"], default=False)
        except cells.CellProblem as exc:
            problems.append(str(exc))
            superbill = True  # checked as if Yes, so the mistake shows
        try:
            born = cells.day(table.get(values, "date_of_birth"), table.headers["date_of_birth"], day_first)
        except cells.CellProblem as exc:
            problems.append(str(exc))
            born = None
        if problems:
            errors[client_id] = problems
        out[client_id] = InsuredClient(
            client_id=client_id, superbill=superbill, date_of_birth=born,
            insurer=_text(table, values, "insurer"), member_id=_text(table, values, "member_id"),
            group_no=_text(table, values, "group_no"), relationship=_text(table, values, "relationship"))
    return out


def _sessions(table: Table) -> dict[int, SessionCoding]:
    if "diagnosis" not in table.columns and "place_of_service" not in table.columns:
        return {}
    return {row: SessionCoding(row, _text(table, values, "diagnosis"),
                               place_of_service(_text(table, values, "place_of_service")))
            for row, values in table.rows}


def place_of_service(text: str) -> str:
    """`2` (a number cell) -> `02`: the code is always two digits."""
    return f"0{text}" if text.isdigit() and len(text) == 1 else text


def _services(table: Table, day_first: bool) -> tuple[ServiceCoding, ...]:
    if "procedure_code" not in table.columns:
        return ()
    out = []
    for _, values in table.rows:
        code = _text(table, values, "code")
        if not code:
            continue
        try:
            since = cells.day(table.get(values, "valid_from"), table.headers["valid_from"], day_first)
        except cells.CellProblem:
            since = None  # the Services row has its own Problem for that
        modifiers = tuple(m.strip().upper() for m in _text(table, values, "modifiers").replace(";", ",")
                          .replace(" ", ",").split(",") if m.strip())
        out.append(ServiceCoding(code, since, _text(table, values, "procedure_code").upper(), modifiers))
    return tuple(out)
