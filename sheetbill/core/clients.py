"""Finding the client a session names: by Client ID, else by exact name."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Iterable

from .model import Client


class ClientProblem(Exception):
    """The session's client cannot be billed; str() is the Problem text."""


_ATOM = r"[^@\s<>()\[\],;:\"\\]+"
_ADDRESS = re.compile(rf"{_ATOM}@{_ATOM}\.{_ATOM}")
_ANGLED = re.compile(r"[^<>]*<([^<>]*)>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@lru_cache(maxsize=4096)  # asked once per session billed, of a few hundred clients' cells
def email_problem(cell: str) -> str:
    """Why a client's Email cell (`a@x.org`, `a@x.org; b@y.org`, `Anna <a@x.org>`)
    cannot be mailed to, or "" when every address in it is usable. A line break
    or another control character is refused, never cut away."""
    if _CONTROL.search(cell):
        return "has a line break or another control character; type the address on one line"
    parts = [p.strip() for p in re.split(r"[;,]", cell) if p.strip()]
    for part in parts:
        angled = _ANGLED.fullmatch(part)
        address = angled[1].strip() if angled else part
        wide = next((ch for ch in address if ord(ch) > 127), "")
        if wide:  # the mail transports send plain ASCII addresses only
            return f"'{part}' has a letter an email address cannot carry ({wide}); ask the client for one without it"
        if not _ADDRESS.fullmatch(address):
            return f"'{part}' is not a usable email address (like name@example.com)"
    return "" if parts else "has no address"


def _norm(text: str) -> str:
    return " ".join(text.split())


class ClientBook:
    def __init__(self, clients: Iterable[Client]) -> None:
        self.by_id: dict[str, Client] = {}
        self.by_name: dict[str, list[Client]] = {}
        self.shared: dict[str, list[int]] = {}  # a Client ID on several rows (a row copied, its ID left) -> rows
        for c in clients:
            if c.client_id:
                key = _norm(c.client_id)
                first = self.by_id.setdefault(key, c)
                if first is not c:
                    self.shared.setdefault(key, [first.row]).append(c.row)
            if c.name:
                self.by_name.setdefault(_norm(c.name), []).append(c)

    def find(self, ref: str) -> Client:
        client = self._find(ref)
        shared = self.shared.get(_norm(client.client_id))
        if shared:  # which row is meant cannot be known: billing the wrong one sends a person's data to another
            rows = ", ".join(str(row) for row in shared)
            raise ClientProblem(f"Client ID {_norm(client.client_id)} is on {len(shared)} rows of Clients "
                                f"(rows {rows}); give each client an ID of its own")
        return client

    def _find(self, ref: str) -> Client:
        ref = _norm(ref)
        if not ref:
            raise ClientProblem("No Client given")
        if ref in self.by_id:
            return self.by_id[ref]
        named = self.by_name.get(ref, [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            ids = ", ".join(c.client_id or f"row {c.row}" for c in named)
            raise ClientProblem(f"Client name '{ref}' matches {len(named)} clients ({ids}); use the Client ID")
        raise ClientProblem(f"Unknown client '{ref}' (not a Client ID or exact name in Clients){self._hint(ref)}")

    def _hint(self, ref: str) -> str:
        lowered = {k.lower(): k for k in list(self.by_name) + list(self.by_id)}
        if ref.lower() in lowered:
            return f"; did you mean '{lowered[ref.lower()]}'?"
        close = difflib.get_close_matches(ref, list(self.by_name), n=1, cutoff=0.85)
        return f"; did you mean '{close[0]}'?" if close else ""

    def resolve(self, ref: str, require_email: bool = True) -> Client:
        """The client to bill, or ClientProblem saying what to fix."""
        client = self.find(ref)
        label = client.client_id or client.name
        if client.errors:
            raise ClientProblem(f"Client {label}: {client.errors[0]}")
        if not client.client_id:
            raise ClientProblem(f"Client '{client.name}' has no Client ID (Clients row {client.row})")
        if require_email and not client.email:
            raise ClientProblem(f"Client {label} has no Email; add one in Clients to send the invoice")
        problem = email_problem(client.email) if client.email else ""
        if problem:
            raise ClientProblem(f"Client {label}: Email {problem}; correct it in Clients to send the invoice")
        return client

    def id_of(self, ref: str) -> str | None:
        try:
            return self.find(ref).client_id
        except ClientProblem:
            return None
