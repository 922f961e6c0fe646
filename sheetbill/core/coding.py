"""Checking what a superbill will carry: diagnosis codes, place of service,
the rendering provider. Pure: the ICD-10 code list is handed in.

`coding_problems` gives the Problem text of each billed session of a client
with Superbill = Yes whose coding is missing or wrong; the invoice is made
all the same (the Problem is a note to fix before the month's superbill).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from .cycle import CyclePlan, merge
from .insurance import InsuredClient, Provider, SessionCoding
from .model import Session
from .plan import CellWrite, RowProblem

MAX_DIAGNOSES = 12  # the CMS-1500's boxes A to L
BILLABLE, CATEGORY, UNKNOWN = "billable", "category", "unknown"
_POS = re.compile(r"\d{2}")


class CodeList(Protocol):
    """A diagnosis code list (ICD-10-CM, or the WHO's ICD-10)."""

    name: str  # "ICD-10-CM"

    def status(self, code: str) -> str:
        """BILLABLE (a complete code), CATEGORY (a heading: not specific enough) or UNKNOWN."""

    def describe(self, code: str) -> str:
        """The code's title, "" when unknown."""


def diagnosis_codes(text: str) -> tuple[str, ...]:
    """`f41.1, Z63.0;F32A` -> ('F41.1', 'Z63.0', 'F32.A'): upper case, a dot
    after the category's three characters, empty items left out."""
    out = []
    for item in re.split(r"[,;\s]+", text):
        code = item.strip().upper().replace(".", "")
        if code:
            out.append(code if len(code) <= 3 else f"{code[:3]}.{code[3:]}")
    return tuple(out)


def diagnosis_problem(text: str, codes: CodeList) -> str:
    """The Problem of a Diagnosis cell, "" when every code is billable."""
    found = diagnosis_codes(text)
    if not found:
        return f"Diagnosis missing: the client gets superbills; put the {codes.name} code(s) in Diagnosis"
    if len(found) > MAX_DIAGNOSES:
        return f"Diagnosis has {len(found)} codes; a superbill carries at most {MAX_DIAGNOSES}"
    for code in found:
        status = codes.status(code)
        if status == CATEGORY:
            return f"Diagnosis {code} is a category, not a billable {codes.name} code; give the full code"
        if status != BILLABLE:
            return f"Diagnosis {code} is not an {codes.name} code"
    if len(set(found)) != len(found):
        return "Diagnosis names a code twice"
    return ""


def place_problem(text: str) -> str:
    if text and not _POS.fullmatch(text.strip()):
        return f"Place of Service '{text}' must be a two-digit code such as 11 (office) or 02/10 (telehealth)"
    return ""


@dataclass(frozen=True)
class CodingProblem:
    row: int  # on Sessions
    session_id: str
    message: str
    current: str = ""  # what the Problem cell holds now


def coding_problems(sessions: Iterable[Session], billed: Iterable[str], client_of: Mapping[str, str],
                    insured: Mapping[str, InsuredClient], coding: Mapping[int, SessionCoding],
                    providers: Mapping[str, Provider], codes: CodeList,
                    client_errors: Mapping[str, Sequence[str]] | None = None) -> list[CodingProblem]:
    """Problems of the billed sessions (`billed`: their Session IDs) whose client
    (`client_of`: Session ID -> Client ID) has Superbill = Yes. `providers` empty:
    the practice names no providers, so none is checked."""
    billed = set(billed)
    out = []
    for s in sessions:
        if s.session_id not in billed:
            continue
        client = insured.get(client_of.get(s.session_id, ""))
        if client is None or not client.superbill:
            continue
        row = coding.get(s.row, SessionCoding(s.row, "", ""))
        unread = (client_errors or {}).get(client.client_id)
        message = f"Client {client.client_id}: {unread[0]}" if unread else ""
        message = message or diagnosis_problem(row.diagnosis, codes) or place_problem(row.place_of_service)
        key = " ".join(s.provider.split())
        if not message and providers and key and key not in providers:
            message = f"Provider '{key}' is not in the config's insurance.providers (name, credentials, NPI)"
        if message:
            out.append(CodingProblem(s.row, s.session_id, message, s.problem))
    return out


def with_problems(cycle: CyclePlan, found: Iterable[CodingProblem]) -> CyclePlan:
    """`cycle` with the coding problems in the Problem column and the report;
    a row that billing already flagged keeps billing's problem."""
    plan = cycle.plan
    flagged = {p.row for p in plan.problems if p.tab == "sessions"}
    found = [f for f in found if f.row not in flagged]
    ours = [CellWrite("sessions", f.row, f.session_id, "problem", f.current, f.message)
            for f in found]
    return replace(cycle, plan=replace(
        plan, writes=merge(plan.writes, ours),
        problems=plan.problems + tuple(RowProblem("sessions", f.row, f.session_id, f.message) for f in found)))
