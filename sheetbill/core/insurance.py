"""What a practice that gives superbills knows beyond billing: the client's
insurance, the session's diagnoses and place of service, the service's
procedure code, and the identifiers of the practice and its providers.

All of it comes from optional columns (see `book.insurance`) and the
config's `insurance:` section; a practice without them sees nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class InsuredClient:
    """A Clients row's insurance columns."""

    client_id: str
    superbill: bool  # Superbill = Yes: a superbill each month, and sessions need a diagnosis
    date_of_birth: date | None = None
    insurer: str = ""
    member_id: str = ""
    group_no: str = ""
    relationship: str = ""  # to the insured: Self, Spouse, Child, Other


@dataclass(frozen=True)
class SessionCoding:
    """A Sessions row's Diagnosis and Place of Service, as typed."""

    row: int
    diagnosis: str
    place_of_service: str


@dataclass(frozen=True)
class ServiceCoding:
    """A Services row's Procedure Code and Modifiers (a code's price history
    may change them from `valid_from` on)."""

    code: str
    valid_from: date | None
    procedure_code: str
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Provider:
    """A rendering provider, as the Sessions' Provider column names them."""

    key: str  # what the Provider column says
    name: str
    credentials: str = ""  # LCSW, PhD, PT...
    npi: str = ""


@dataclass(frozen=True)
class PracticeIds:
    """The practice's identifiers: the billing provider on a superbill."""

    npi: str = ""
    ein: str = ""
    other: tuple[tuple[str, str], ...] = ()  # (label, value): national identifiers elsewhere


@dataclass(frozen=True)
class Coding:
    """Everything the optional insurance columns hold."""

    clients: dict[str, InsuredClient] = field(default_factory=dict)  # by Client ID
    sessions: dict[int, SessionCoding] = field(default_factory=dict)  # by Sessions row
    services: tuple[ServiceCoding, ...] = ()

    def procedure(self, service: str, day: date | None) -> ServiceCoding | None:
        """The service's coding valid on `day` (the newest row from before it)."""
        rows = [s for s in self.services if s.code.strip().upper() == service.strip().upper()]
        valid = [s for s in rows if s.valid_from is None or day is None or s.valid_from <= day]
        pool = valid or rows
        return max(pool, key=lambda s: s.valid_from or date.min) if pool else None
