"""VAT treatments: each line's category (EN 16931 UNCL5305 codes), its rate and
the reason printed for it.

A line's category comes, first match wins, from:
1. the small-business scheme (config `vat.small_business`): every line is E,
   0 %, with the scheme's note as its reason;
2. the client's `VAT Category` (e.g. AE for a business client abroad): it
   replaces a taxable service's category (S or Z); an exempt or out-of-scope
   service (E, O) stays what it is, whoever buys it;
3. the service's `VAT Category`;
4. the rate: a rate above 0 is S, a 0 % rate the config's `vat.zero_rate`
   category (E by default).

Every category other than S has the rate 0. A gross price of a taxed service
sold without VAT (to a client under reverse charge, say) is billed at its
net price, the gross price less the service's VAT (`vat_removed`). Exempt lines carry the service's
`Exemption Reason` (else the config's), reverse charge (AE), intra-community
supply (K) and outside scope (O) carry their fixed note and VATEX code.

The texts printed on invoices are English and each is defined once, below or (the notes a VATEX code stands for) in core.vatex
(`NOTE_*`, `LABELS`), marked with `N_` for the message catalogues: the
document's context translates them into the invoice's language (a reason
the practice typed itself has no translation and stays as typed). Legal
wording that depends on the practice's country (the small-business note, the
reason of an exemption given only by its VATEX code) is chosen by
`VatRules.country`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from . import vatex
from .model import Client, Line, ServicePrice
from .vatex import N_, NOTE_INTRA_COMMUNITY, NOTE_OUTSIDE_SCOPE, NOTE_REVERSE_CHARGE, NOTE_SMALL_BUSINESS_FR
from .record import record

STANDARD, ZERO_RATED, EXEMPT, REVERSE_CHARGE, INTRA_COMMUNITY, OUTSIDE_SCOPE = "S", "Z", "E", "AE", "K", "O"
CATEGORIES = (STANDARD, ZERO_RATED, EXEMPT, REVERSE_CHARGE, INTRA_COMMUNITY, OUTSIDE_SCOPE)

# How a cell may name a category besides its code (lower case).
_ALIASES = {
    "standard": STANDARD, "reduced": STANDARD, "taxable": STANDARD,
    "zero": ZERO_RATED, "zero-rated": ZERO_RATED, "zero rated": ZERO_RATED,
    "exempt": EXEMPT,
    "reverse charge": REVERSE_CHARGE, "reverse-charge": REVERSE_CHARGE,
    "intra-community": INTRA_COMMUNITY, "intra community": INTRA_COMMUNITY, "ic": INTRA_COMMUNITY,
    "outside scope": OUTSIDE_SCOPE, "outside": OUTSIDE_SCOPE, "out of scope": OUTSIDE_SCOPE,
    "not subject": OUTSIDE_SCOPE,
}

# --- texts printed on invoices (English; one place per text; the notes a VATEX code also
# stands for are in core.vatex) ---------------------------------------------------------------

NOTE_SMALL_BUSINESS = N_("No VAT is charged under the small-business scheme (§ 19 UStG).")
NOTE_SMALL_BUSINESS_EU = N_("No VAT is charged under the small-business scheme.")
SMALL_BUSINESS_NOTES = {  # the practice's country -> its small-business note ("": Germany, as always)
    "": NOTE_SMALL_BUSINESS, "DE": NOTE_SMALL_BUSINESS, "FR": "VATEX-FR-FRANCHISE " + NOTE_SMALL_BUSINESS_FR}
NOTE_VAT_IDS = N_("Supplier VAT ID: {supplier}. Recipient VAT ID: {recipient}.")
NOTE_EXEMPT = N_("Exempt from VAT.")  # the reason of an exempt line without one, where a reason must be given
# (e-invoices, BR-E-10); not printed: the tax summary's "VAT exempt" row says as much
EXEMPTION_REASONS = {  # (the practice's country, VATEX code) -> the reason of an exemption given by its code
    # alone, where it has words of its own; any other code on the list: its wording (core.vatex)
    ("DE", "VATEX-EU-132-1C"): N_("VAT exempt under § 4 No. 14 UStG (medical care)."),
    ("FR", "VATEX-EU-132-1C"): N_("VAT exempt under article 261-4-1° of the French tax code (CGI)."),
    ("", "VATEX-EU-132-1C"): N_("VAT exempt: medical care (Art. 132(1)(c) of Directive 2006/112/EC)."),
}
LABELS = {  # the tax summary's row for each category; S keeps "Tax 19%"
    ZERO_RATED: N_("Zero-rated"),
    EXEMPT: N_("VAT exempt"),
    REVERSE_CHARGE: N_("Reverse charge"),
    INTRA_COMMUNITY: N_("Intra-community supply"),
    OUTSIDE_SCOPE: N_("Outside the scope of VAT"),
}
SHORT_LABELS = {  # a line's Tax column for a category other than S and Z (which show their rate)
    EXEMPT: N_("exempt"),
    REVERSE_CHARGE: N_("reverse charge"),
    INTRA_COMMUNITY: N_("intra-EU"),
    OUTSIDE_SCOPE: N_("not taxable"),
}
# --------------------------------------------------------------------------------------------

FIXED = {  # the reason and VATEX code of the categories that have a fixed one
    REVERSE_CHARGE: (NOTE_REVERSE_CHARGE, "VATEX-EU-AE"),
    INTRA_COMMUNITY: (NOTE_INTRA_COMMUNITY, "VATEX-EU-IC"),
    OUTSIDE_SCOPE: (NOTE_OUTSIDE_SCOPE, "VATEX-EU-O"),
}

NEEDS_VAT_IDS = (REVERSE_CHARGE, INTRA_COMMUNITY)  # both parties' VAT IDs on the invoice (Art. 226 VAT Directive)

_VATEX = re.compile(r"^\s*(VATEX-[A-Z]{2}-[A-Z0-9-]+)\s*[:\-–]?\s*(.*)$", re.DOTALL | re.IGNORECASE)


class VatProblem(Exception):
    """A line's VAT treatment cannot be decided; str() is the Problem text."""


@dataclass(frozen=True)
class VatRules:
    """The config's `vat:` section."""

    small_business: bool = False
    small_business_note: str = NOTE_SMALL_BUSINESS
    zero_rate: str = EXEMPT  # the category of a 0 % service without one
    exemption_reason: str = ""  # for exempt services without their own (may start with a VATEX code)
    gross_prices: bool = False  # Unit Prices include VAT (a service's `Prices` column overrides)
    country: str = ""  # the practice's country (ISO code): whose law a code-only exemption reason cites


@record
class Treatment:
    category: str
    rate: Decimal  # percent
    reason: str = ""
    vatex: str = ""
    gross: bool = False  # the price includes the VAT at `rate`
    vat_removed: Decimal = Decimal(0)  # a gross price's rate whose VAT does not apply here: bill the net price


def parse_category(value: str) -> str | None:
    """`AE`, `reverse charge`, `exempt`... -> the code; "" -> ""; None when unknown."""
    text = value.strip()
    if not text:
        return ""
    if text.upper() in CATEGORIES:
        return text.upper()
    return _ALIASES.get(text.lower())


def split_reason(value: str) -> tuple[str, str]:
    """`VATEX-EU-132-1C Umsatzsteuerfrei ...` -> (code, text); a reason without a code -> ("", text)."""
    found = _VATEX.match(value)
    if found:
        return found[1].upper(), found[2].strip()
    return "", value.strip()


def _listed(value: str, where: str) -> tuple[str, str]:
    """`split_reason`, or VatProblem for a code not on the VATEX code list (an e-invoice
    carrying it is rejected, EN 16931 BR-CL-22)."""
    code, text = split_reason(value)
    if code and not vatex.known(code):
        raise VatProblem(f"{where} code '{code}', not on the VATEX code list (use a listed code, "
                         "e.g. VATEX-EU-132-1C, or write the reason without a code)")
    return code, text


def _category(value: str, where: str) -> str:
    code = parse_category(value)
    if code is None:
        raise VatProblem(f"{where} has VAT Category '{value}' (use S, Z, E, AE, K or O)")
    return code


def treatment(service: ServicePrice, client: Client, rules: VatRules) -> Treatment:
    """How one service is taxed for one client (see the module's docstring), or VatProblem."""
    rate = service.tax_rate if service.tax_rate is not None else Decimal(0)
    gross = _gross(service, rules)
    if rules.small_business:
        code, text = _listed(rules.small_business_note, "The config's vat.small_business_note has")
        return Treatment(EXEMPT, Decimal(0), text, code, gross)
    own = _category(service.vat_category, f"Services row {service.row} ({service.code})")
    if own == STANDARD and rate <= 0:
        raise VatProblem(f"Services row {service.row} ({service.code}) is VAT Category S with Tax Rate 0% "
                         "(give its rate, or the category Z, E or O)")
    if own and own != STANDARD and rate != 0:
        raise VatProblem(f"Services row {service.row} ({service.code}) is VAT Category {own} with Tax Rate "
                         f"{rate.normalize():f}% (that category has no VAT: use 0%)")
    if not own:
        own = STANDARD if rate > 0 else rules.zero_rate
    theirs = _category(client.vat_category, f"Client {client.client_id}")
    category = theirs if theirs and own in (STANDARD, ZERO_RATED) else own
    if gross and rate > 0 and category != STANDARD:  # e.g. a gross price list, a client under reverse charge
        return replace(_with_category(category, service, client, own, rules), vat_removed=rate)
    return _with_category(category, service, client, own, rules, rate, gross)


def _with_category(category: str, service: ServicePrice, client: Client, own: str, rules: VatRules,
             rate: Decimal = Decimal(0), gross: bool = False) -> Treatment:
    """The treatment of `category`: S keeps `rate`, the others have none."""
    if category in NEEDS_VAT_IDS and client.vat_id_problem:
        raise VatProblem(f"{LABELS[category]} for client {client.client_id} needs their VAT ID: "
                         f"{client.vat_id_problem}")
    if category == STANDARD:
        return Treatment(STANDARD, rate, gross=gross)
    where = f"Services row {service.row} ({service.code}) has Exemption Reason"  # ... code 'X', not on the list
    if category == EXEMPT:
        if not service.exemption_reason:
            where = "The config's vat.exemption_reason has"
        code, text = _listed(service.exemption_reason or rules.exemption_reason, where)
        return Treatment(EXEMPT, Decimal(0), text or exemption_reason(code, rules.country), code, gross)
    if category in FIXED:
        text, code = FIXED[category]
        own_code, own_text = _listed(service.exemption_reason, where) if own == category else ("", "")
        return Treatment(category, Decimal(0), own_text or text, own_code or code, gross)
    return Treatment(category, Decimal(0), gross=gross)


def _gross(service: ServicePrice, rules: VatRules) -> bool:
    text = service.prices.strip().lower()
    if text in ("gross", "incl. vat", "including vat", "brutto"):
        return True
    if text in ("net", "netto", "excl. vat"):
        return False
    if text:
        raise VatProblem(f"Services row {service.row} ({service.code}) has Prices '{service.prices}' "
                         "(use gross or net)")
    return rules.gross_prices


def exemption_reason(code: str, country: str) -> str:
    """The reason of an exemption given only by its VATEX code, in the words of the practice's
    country's law where sheetbill knows them, else the code's own wording (core.vatex);
    "" for a code not on the list."""
    key = code.upper()
    return EXEMPTION_REASONS.get((country, key)) or EXEMPTION_REASONS.get(("", key)) or vatex.wording(key)


def small_business_note(country: str) -> str:
    """The small-business scheme's default note for a practice in `country` (may start with a VATEX code)."""
    return SMALL_BUSINESS_NOTES.get(country, NOTE_SMALL_BUSINESS_EU if country else NOTE_SMALL_BUSINESS)


def _same(message: str) -> str:
    return message


def vat_notes(lines: Iterable[Line], practice_vat_id: str, client_vat_id: str,
              translate: Callable[[str], str] = _same) -> tuple[str, ...]:
    """The legally required notes of an invoice's lines, each once, in line order, each passed
    through `translate` (the invoice language's message catalogue; a practice's own text has no
    translation and stays as it is).

    Exempt and small-business lines print their reason (none when the practice configured none:
    the tax summary's "VAT exempt" row stands alone); reverse charge and intra-community supply
    print their note and both VAT IDs."""
    out: list[str] = []
    for line in lines:
        category = line.category
        if category in (STANDARD, ZERO_RATED):
            continue
        note, code = line.exemption_reason, line.vatex
        if not (note or code):
            note, code = FIXED.get(category, ("", ""))
        note = vatex.printed(note, code, translate)
        if note and note not in out:
            out.append(note)
        if category in NEEDS_VAT_IDS:
            ids = translate(NOTE_VAT_IDS).format(supplier=practice_vat_id or "-", recipient=client_vat_id or "-")
            if ids not in out:
                out.append(ids)
    return tuple(out)


NO_EINVOICE = ("", "none", "no")  # a Clients `E-Invoice` cell that asks for none


def needs_einvoice(client: Client) -> bool:
    """The client receives an EN 16931 e-invoice (their `E-Invoice` names a format)."""
    return client.e_invoice.strip().lower() not in NO_EINVOICE


def outside_scope_only(lines: Iterable[Line]) -> bool:
    """Every line is outside the scope of VAT (O)."""
    return all(line.category == OUTSIDE_SCOPE for line in lines)


def mixes_outside_scope(lines: Iterable[Line]) -> bool:
    """Lines outside the scope of VAT (O) beside lines of another category: on paper that is
    fine, an EN 16931 e-invoice forbids it (BR-O-11 to BR-O-14: an invoice with an O line has
    only O lines)."""
    categories = {line.category for line in lines}
    return OUTSIDE_SCOPE in categories and len(categories) > 1


MIXED_OUTSIDE_SCOPE = "an item outside the scope of VAT (O) cannot share an e-invoice with other VAT categories " \
                      "(EN 16931 BR-O-11)"


def label(category: str) -> str:
    """The tax summary's row title for a category other than S ("" for S)."""
    return LABELS.get(category, "")


def short_label(category: str) -> str:
    """A line's Tax column for a category without a rate of its own ("" for S and Z)."""
    return SHORT_LABELS.get(category, "")
