"""Whether a client is an organisation (a company, a public body) rather
than a person, from what the Clients tab says about it.

An email to an organisation greets it the formal way of its language
("Sehr geehrte Damen und Herren,", "Madame, Monsieur,", "Dear Sir or
Madam,"): "Guten Tag Bezirksamt Mitte," reads oddly. A client is an
organisation when

- it has a `Buyer Reference`: public bodies need one on every invoice (the
  Leitweg-ID in Germany, the service code in France), companies their
  purchase-order or cost-centre reference; or
- its Name carries a company's legal form as a word: `GmbH`, `AG`, `e.V.`,
  `SARL`, `SAS`, `Ltd`, `LLC`, `Inc.`... (`LEGAL_FORMS`).

A Tax ID (VAT ID) or a business VAT Category (reverse charge, intra-community)
alone does not make one: freelancers and sole traders have them too and are
people, greeted by name ("Guten Tag Sofia Rossi,"). Everyone else is a person.
"""

from __future__ import annotations

import re

from .model import Client

LEGAL_FORMS = frozenset({
    # German, Austrian, Swiss
    "GmbH", "gGmbH", "mbH", "AG", "gAG", "KG", "KGaA", "OHG", "GbR", "UG", "gUG", "e.V.", "eV", "e.G.", "eG",
    "SE", "PartG", "PartGmbB", "Stiftung",
    # French, Belgian, Swiss
    "SARL", "S.A.R.L.", "Sàrl", "Sarl", "SAS", "S.A.S.", "SASU", "SA", "S.A.", "EURL", "SNC", "SCI", "SCM",
    "SCP", "SCOP", "SELARL", "SELAS", "GIE", "SPRL", "SRL",
    # English
    "Ltd", "Ltd.", "Limited", "LLC", "L.L.C.", "LLP", "Inc", "Inc.", "Corp", "Corp.", "PLC", "plc", "CIC",
})
_WORD = re.compile(r"[^\s,;()/]+")


def is_organisation(client: Client) -> bool:
    """True for a company or public body (see the module's rule), False for a person."""
    return bool(client.buyer_reference.strip()) or any(
        word in LEGAL_FORMS for word in _WORD.findall(client.name))
