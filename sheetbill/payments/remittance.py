"""The invoice number (or, on a statement, the Client ID) as unstructured remittance text, for
a payment QR code of a document that has no creditor reference (`reference.creditor_reference`:
more than 21 letters and digits).

EPC069-12 carries up to 140 characters of unstructured remittance; the Swiss QR-bill's
"additional information" as many. SEPA banks must accept only the Latin set of the SEPA
rulebook (`a-z A-Z 0-9 / - ? : ( ) . , ' +` and space), which Swiss banks accept too, so
the text is written in it: accented letters lose their accent (`Ä` -> `A`), a few letters
are spelled out (`ß` -> `ss`), and any other sign becomes `-`. A number with a letter or
digit that has no such spelling (`請求-1`) has no text: its invoice gets no code.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT = 140  # EPC069-12 unstructured remittance; the QR-bill's additional information
_SPELLED = str.maketrans({"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                          "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "TH",
                          "ı": "i"})
_SEPA = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]")


def latin(text: str) -> str:
    """`text` in the SEPA Latin set, as far as it goes: accents dropped, a few letters spelled
    out, other signs left as they are."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def remittance_text(number: str) -> str:
    """The invoice number or Client ID as the QR code's remittance text, in the SEPA Latin set;
    "" when a letter or digit of it cannot be written there, or it is longer than 140 characters."""
    out = []
    for c in latin(number.strip()):
        if _SEPA.fullmatch(c):
            out.append(c)
        elif c.isalnum():
            return ""
        else:
            out.append("-")
    text = "".join(out)
    return text if any(c.isalnum() for c in text) and len(text) <= MAX_TEXT else ""
