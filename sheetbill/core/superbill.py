"""A client's superbill for a period: the itemised statement of the sessions
the client submits to their insurer for reimbursement. It is not a claim.

One service line per invoice line of each billed session of the period (on
a live invoice): the session's service, and each of its Extras, on its own
line with its own procedure code and modifiers (from its Services row), its
own units and charge (as the invoice billed it), the session's date, place
of service, diagnosis pointers (letters into the superbill's list of
diagnoses, in order of first use) and rendering provider, and its share of
the amount paid for the session (`session_paid.paid_per_session`, given to
the session's lines in their order, each up to its charge). An item whose
service has no Procedure Code is a line without one: never folded into a
coded line, whose charge per unit it would falsify.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .coding import diagnosis_codes
from .document import Practice
from .insurance import Coding, InsuredClient, PracticeIds, Provider, SessionCoding
from .model import Client, Invoice, InvoiceStatus, Ledger
from .number import ZERO

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class SuperbillLine:
    date: date
    session_id: str
    invoice_no: str
    place_of_service: str
    procedure_code: str
    modifiers: tuple[str, ...]
    description: str
    pointers: tuple[str, ...]  # letters of `Superbill.diagnoses`
    units: Decimal
    charge: Decimal
    paid: Decimal
    provider: Provider | None
    service: str = ""  # the Services code it was billed as (MLD15, BANDAGE)


@dataclass(frozen=True)
class Diagnosis:
    pointer: str  # A, B, ...
    code: str
    description: str


@dataclass(frozen=True)
class Superbill:
    client_id: str
    date_from: date
    date_to: date
    today: date  # the superbill's date; paid amounts are as of this day
    lines: tuple[SuperbillLine, ...]
    diagnoses: tuple[Diagnosis, ...]

    @property
    def charged(self) -> Decimal:
        return sum((line.charge for line in self.lines), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.charged - self.paid

    @property
    def providers(self) -> tuple[Provider, ...]:
        """The rendering providers of the period, each once, in order of first session."""
        seen: dict[str, Provider] = {}
        for line in self.lines:
            if line.provider is not None:
                seen.setdefault(line.provider.key, line.provider)
        return tuple(seen.values())


@dataclass(frozen=True)
class SuperbillDocument:
    practice: Practice
    ids: PracticeIds
    client: Client
    insured: InsuredClient
    superbill: Superbill


def superbill_for(client: Client, ledger: Ledger, coding: Coding, paid: Mapping[str, Decimal],
                  providers: Mapping[str, Provider], date_from: date, date_to: date, today: date,
                  default_place: str = "11",
                  describe: Callable[[str], str] = lambda code: "") -> Superbill:
    """The superbill of `client` from `date_from` to `date_to` (both included).

    `paid`: Session ID -> amount paid (from `paid_per_session`); `providers`:
    by what the Provider column says; `describe`: a diagnosis code's title.
    Raises ValueError when the period ends before it starts.
    """
    if date_to < date_from:
        raise ValueError(f"the period ends ({date_to}) before it starts ({date_from})")
    on_invoice = _billed_sessions(ledger.invoices, client.client_id)
    services = {s.code.strip().upper(): s for s in ledger.services}
    letters: dict[str, str] = {}
    lines = []
    for s in sorted(ledger.sessions, key=lambda s: (s.date or date.min, s.session_id)):
        if s.date is None or not date_from <= s.date <= date_to or s.session_id not in on_invoice:
            continue  # whose session it is, the invoice says (the row may name the client by an old name)
        invoice = on_invoice[s.session_id]
        row = coding.sessions.get(s.row, SessionCoding(s.row, "", ""))
        codes = diagnosis_codes(row.diagnosis)
        for code in codes:
            letters.setdefault(code, _letter(len(letters)))
        provider = providers.get(" ".join(s.provider.split())) or \
            (Provider(s.provider.strip(), s.provider.strip()) if s.provider.strip() else None)
        own = [line for line in invoice.lines if line.session_id == s.session_id]
        items = [(line.code, line.description, line.quantity, line.total) for line in own]
        if not items:  # an invoice whose lines do not name their sessions: the session as a whole
            service = services.get(s.service.strip().upper())
            items = [(s.service, service.description if service else s.service, s.quantity or Decimal(1), ZERO)]
        left = paid.get(s.session_id, ZERO)
        for code, description, units, charge in items:
            procedure = coding.procedure(code, s.date)
            share = min(left, max(charge, ZERO))
            left -= share
            lines.append(SuperbillLine(
                date=s.date, session_id=s.session_id, invoice_no=invoice.invoice_no,
                place_of_service=row.place_of_service.strip() or default_place,
                procedure_code=procedure.procedure_code if procedure else "",
                modifiers=procedure.modifiers if procedure else (),
                description=description, pointers=tuple(letters[c] for c in codes), units=units, charge=charge,
                paid=share, provider=provider, service=code.strip().upper()))
    diagnoses = tuple(Diagnosis(letter, code, describe(code)) for code, letter in letters.items())
    return Superbill(client.client_id, date_from, date_to, today, tuple(lines), diagnoses)


def unpayable(line: SuperbillLine, claim: bool = False) -> str:
    """What an insurer will not accept on `line` (no diagnosis, no procedure code) and where
    to fix it, naming its session, day and service; "" when nothing. `claim`: the line is
    left out of the CMS-1500 for it."""
    gaps = ([] if line.pointers else ["no diagnosis (fill in its Diagnosis in Sessions)"]) + \
        ([] if line.procedure_code else [f"no procedure code (give {line.service} a Procedure Code in Services)"])
    if not gaps:
        return ""
    return (f"{line.session_id} on {line.date.isoformat()} ({line.service}) has {' and '.join(gaps)}: "
            f"an insurer will not pay that line" + ("; left out of the CMS-1500" if claim else ""))


def insurance_gaps(client: Client, insured: InsuredClient) -> str:
    """What a superbill of `client` lacks for an insurer to tell whose it is (the Insurer, Member ID
    and Date of Birth of its Clients row), naming the columns to fill in; "" when nothing."""
    missing = [name for name, value in (("Insurer", insured.insurer.strip()), ("Member ID", insured.member_id.strip()),
                                        ("Date of Birth", insured.date_of_birth)) if not value]
    if not missing:
        return ""
    what = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} or {missing[-1]}"
    return (f"{client.client_id} ({client.name}) has no {what} in Clients: an insurer cannot tell whose "
            f"superbill it is; fill {'it' if len(missing) == 1 else 'them'} in")


def _billed_sessions(invoices: Iterable[Invoice], client_id: str) -> dict[str, Invoice]:
    """Session ID -> the live invoice (not a credit note) that bills it."""
    out = {}
    for i in invoices:
        if i.client_id == client_id and i.live and i.status is not InvoiceStatus.DRAFT and i.total >= 0:
            for sid in i.session_ids:
                out[sid] = i
    return out


def _letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)
