"""The config's `insurance:` section: switched on, the practice's and its
providers' identifiers, the default place of service, the code list.

    insurance:
      enabled: true            # sessions of clients with Superbill = Yes need a Diagnosis
      monthly: true            # early each month, last month's superbill to those clients
      npi: "1234567893"        # the practice's (type 2) NPI
      ein: "12-3456789"
      identifiers: {}          # national identifiers elsewhere, e.g. {IK: "261234567"}
      place_of_service: "11"   # 11 office, 02/10 telehealth; a session's Place of Service wins
      code_list: icd-10-cm     # or icd-10-who: the WHO's ICD-10, for practices outside the US
      providers:               # by what the Sessions' Provider column says
        Maria: {name: Maria Keller, credentials: LMHC, npi: "1245319599"}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.insurance import PracticeIds, Provider
from .codes import CODE_LISTS
from .ids import ein_problem, npi_problem

KEYS = ("enabled", "monthly", "npi", "ein", "identifiers", "place_of_service", "code_list", "providers")
PROVIDER_KEYS = ("name", "credentials", "npi")


@dataclass(frozen=True)
class InsuranceSettings:
    monthly: bool
    ids: PracticeIds
    place_of_service: str
    code_list: str
    providers: Mapping[str, Provider] = field(default_factory=dict)


def parse(doc) -> InsuranceSettings | None:
    """The section from the config's `_Doc` (its `fail` names the key); None when not enabled."""
    section = doc.raw("insurance")
    if section is None:
        return None
    if not isinstance(section, Mapping):
        raise doc.fail("insurance", "must be a section with enabled, npi, providers, ...")
    for key in section:
        if key not in KEYS:
            raise doc.fail(f"insurance.{key}", f"unknown key (one of {', '.join(KEYS)})")
    if not doc.flag("insurance.enabled", False):
        return None
    npi, ein = doc.text("insurance.npi"), doc.text("insurance.ein")
    for key, value, check in (("npi", npi, npi_problem), ("ein", ein, ein_problem)):
        if value and check(value):
            raise doc.fail(f"insurance.{key}", check(value))
    place = doc.text("insurance.place_of_service", "11")
    if not (place.isdigit() and len(place) == 2):
        raise doc.fail("insurance.place_of_service", f"must be a two-digit code such as 11 or 02 (got '{place}')")
    code_list = doc.choice("insurance.code_list", "icd-10-cm", tuple(CODE_LISTS))
    return InsuranceSettings(
        monthly=doc.flag("insurance.monthly", True),
        ids=PracticeIds(npi, ein, _identifiers(doc)), place_of_service=place, code_list=code_list,
        providers=_providers(doc))


def _identifiers(doc) -> tuple[tuple[str, str], ...]:
    found = doc.raw("insurance.identifiers", {})
    if not isinstance(found, Mapping):
        raise doc.fail("insurance.identifiers", "must map labels to numbers, e.g. {IK: \"261234567\"}")
    return tuple((str(k), str(v).strip()) for k, v in found.items() if str(v).strip())


def _providers(doc) -> dict[str, Provider]:
    found: Any = doc.raw("insurance.providers", {})
    if not isinstance(found, Mapping):
        raise doc.fail("insurance.providers", "must map the Provider column's names to {name, credentials, npi}")
    out = {}
    for key, entry in found.items():
        where = f"insurance.providers.{key}"
        if not isinstance(entry, Mapping):
            raise doc.fail(where, "must be {name: ..., credentials: ..., npi: ...}")
        for k in entry:
            if k not in PROVIDER_KEYS:
                raise doc.fail(f"{where}.{k}", f"unknown key (one of {', '.join(PROVIDER_KEYS)})")
        npi, full, credentials = (str(entry.get(k) or "").strip() for k in ("npi", "name", "credentials"))
        if npi and npi_problem(npi):
            raise doc.fail(f"{where}.npi", npi_problem(npi))
        name = " ".join(str(key).split())
        out[name] = Provider(name, full or name, credentials, npi)
    return out
