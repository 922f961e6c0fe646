"""payments.quoted: what a bank entry quotes is found by looking its references and numbers up,
and finds exactly what comparing the entry with every number and Client ID of the sheet finds
(`Linear` below, the rule written plainly)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetbill.core.model import Client, Invoice, InvoiceStatus
from sheetbill.payments.quoted import Quotable, Quoted
from sheetbill.payments.reference import (
    client_reference,
    creditor_reference,
    former_reference,
    number_key,
    printed,
)
from sheetbill.payments.remittance import latin, remittance_text


class Linear:
    """Every number and Client ID of the sheet compared with the entry, one by one."""

    def __init__(self, numbers: list[str], ids: list[str], open_numbers: set[str]) -> None:
        numbers = list(dict.fromkeys(no for no in numbers if no))
        ids = list(dict.fromkeys(cid for cid in ids if cid))
        self.invoice_refs = {no: _refs(no, creditor_reference(no), no in open_numbers) for no in numbers}
        self.client_refs = {cid: _refs(cid, client_reference(cid), True) for cid in ids}
        self.invoice_keys = {no: number_key(no) for no in numbers}
        self.client_keys = {cid: number_key(cid) for cid in ids if not client_reference(cid) and remittance_text(cid)}

    def by_reference(self, text: str) -> Quoted:
        said = re.sub(r"[^0-9A-Z]", "", text.upper())
        return Quoted(tuple(no for no, refs in self.invoice_refs.items() if any(r in said for r in refs)),
                      tuple(cid for cid, refs in self.client_refs.items() if any(r in said for r in refs)))

    def by_text(self, text: str) -> Quoted:
        plain = latin(text)
        said = "".join(c for c in plain.upper() if c.isalnum())
        return Quoted(tuple(no for no, key in self.invoice_keys.items() if key in said and _mentions(no, plain)),
                      tuple(cid for cid, key in self.client_keys.items() if key in said and _mentions(cid, plain)))


def _refs(number: str, reference: str, former: bool) -> tuple[str, ...]:
    return tuple(r for r in (reference, former_reference(number) if former else "") if r)


def _mentions(number: str, plain: str) -> bool:
    chars = list(number_key(number))
    if len(chars) < 4:
        return False
    before = r"(?<![0-9])" if chars[0].isdigit() else r"(?<![A-Z])"
    after = r"(?![0-9])" if chars[-1].isdigit() else r"(?![A-Z])"
    pattern = before + r"[\s\-/_.:#]*".join(re.escape(c) for c in chars) + after
    return re.search(pattern, plain, re.IGNORECASE) is not None


def invoice(no: str) -> Invoice:
    b = Decimal("65.00")
    return Invoice(no, date(2026, 11, 1), date(2026, 11, 15), "C-001", "", (), b, Decimal(0), b, Decimal(0), b,
                   InvoiceStatus("Finalized"))


def client(cid: str) -> Client:
    return Client(row=2, client_id=cid, name="", email="", address="", discount=None, terms_days=None,
                  invoice_mode=None, tax_id="")


def both(numbers: list[str], ids: list[str], open_numbers: set[str]) -> tuple[Quotable, Linear]:
    return (Quotable([invoice(no) for no in numbers], [client(cid) for cid in ids], open_numbers),
            Linear(numbers, ids, open_numbers))


SHEET = ["INV-2026-0001", "INV-2026-00010", "INV-2026-0010", "RÉ-2026-0001", "RE-2026-0001", "R-2026-0001",
         "Re 2026/0001", "2026/17", "請求-1", "X" * 22, "ab", "", "---", "RE-2026-Praxis_Müllerstraße-0042",
         "Straße-1", "STRASSE-1", "RF16INV20260001", "INV-2026-00000000000012"]
IDS = ["C-001", "MÜLLER", "MULLER", "KUNDE-" + "W" * 20, "請求-1"]


@pytest.mark.parametrize("text, invoices, clients", [
    ("RF16INV20260001", ("INV-2026-0001",), ()),
    ("rf16 inv2 0260 001 danke", ("INV-2026-0001",), ()),
    ("RF40RE20260001", ("RÉ-2026-0001", "RE-2026-0001", "Re 2026/0001"), ()),
    ("RF55 R202 6000 1", ("RÉ-2026-0001", "R-2026-0001"), ()),  # the former reference, while it is open
    ("RF741", ("請求-1",), ("請求-1",)),
    ("RF92 MULL ER", (), ("MÜLLER", "MULLER")),
    ("RF37MLLER", (), ("MÜLLER",)),  # a Client ID's former reference is always read
    ("RF17INV20260001", (), ()),  # a wrong check digit
    ("RF39 INV2 0260 0000 0000 0001 2", ("INV-2026-00000000000012",), ()),  # 21 letters and digits, the most
    ("INV-2026-0001", (), ()),
])
def test_found_by_reference(text, invoices, clients):
    quotable, linear = both(SHEET, IDS, set(SHEET))
    assert quotable.by_reference(text) == linear.by_reference(text) == Quoted(invoices, clients)


def test_a_former_reference_is_read_only_while_the_invoice_is_open():
    quotable, linear = both(SHEET, IDS, {"INV-2026-0001"})
    assert quotable.by_reference("RF55R20260001") == linear.by_reference("RF55R20260001") == \
        Quoted(("R-2026-0001",))


@pytest.mark.parametrize("text, invoices, clients", [
    ("Rechnung inv 2026 0001", ("INV-2026-0001",), ()),
    ("INV-2026-0010", ("INV-2026-0010",), ()),  # not INV-2026-0001 inside it
    ("INV-2026-00010", ("INV-2026-00010",), ()),
    ("RE 2026 0001", ("RÉ-2026-0001", "RE-2026-0001", "Re 2026/0001"), ()),
    ("RE-2026-Praxis-Mullerstrasse-0042", ("RE-2026-Praxis_Müllerstraße-0042",), ()),
    ("strasse 1 and 2026-17", ("2026/17", "Straße-1", "STRASSE-1"), ()),
    ("Kunde " + "w" * 20, (), ("KUNDE-" + "W" * 20,)),
    ("ab ---", (), ()),
])
def test_found_by_text(text, invoices, clients):
    quotable, linear = both(SHEET, IDS, set(SHEET))
    assert quotable.by_text(text) == linear.by_text(text) == Quoted(invoices, clients)


# Few letters, so that numbers often share a beginning, an end, or all their letters and digits.
_CHARS = "INVRFE0126" + "Éé" + "Üüß請" + "-/ ._#:"
_NUMBER = st.one_of(st.text(st.sampled_from(_CHARS), max_size=26),
                    st.text(st.sampled_from("INV0126É-"), min_size=19, max_size=24))  # about the longest


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[str], list[str], set[str]]:
    numbers = draw(st.lists(_NUMBER, max_size=12))
    for base in draw(st.lists(st.sampled_from(numbers), max_size=6)) if numbers else []:
        cut = draw(st.integers(0, len(base)))
        numbers.append(draw(st.sampled_from([base[:cut], base + draw(_NUMBER), base.upper(), base.lower(),
                                             latin(base), base.replace("-", "/")])))
    numbers = draw(st.permutations(numbers))
    ids = draw(st.lists(st.one_of(_NUMBER, st.sampled_from(numbers or [""])), max_size=5))
    open_numbers = set(draw(st.lists(st.sampled_from(numbers), max_size=len(numbers)))) if numbers else set()
    return numbers, ids, open_numbers


def _quoting(draw: st.DrawFn, number: str) -> str:
    """How a payer might write what a document of `number` carries."""
    reference = draw(st.sampled_from([creditor_reference(number), former_reference(number)]))
    written = draw(st.sampled_from([number, number_key(number), latin(number), reference, printed(reference),
                                    reference.lower(), reference[:-1], reference[:4] + "9" + reference[5:]]))
    return written


@st.composite
def sheets_and_texts(draw: st.DrawFn) -> tuple[list[str], list[str], set[str], list[str]]:
    numbers, ids, open_numbers = draw(sheets())
    quotable = [no for no in numbers + ids if no]
    texts = []
    for _ in range(draw(st.integers(1, 5))):
        parts = []
        for _ in range(draw(st.integers(0, 6))):
            kind = draw(st.integers(0, 2))
            if kind == 0 and quotable:
                parts.append(_quoting(draw, draw(st.sampled_from(quotable))))
            elif kind == 1:
                parts.append(draw(st.sampled_from(["RF", "rf", "RF1", "0", "1", " ", "-", "INV"])))
            else:
                parts.append(draw(_NUMBER))
        texts.append("".join(parts))
    return numbers, ids, open_numbers, texts


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets_and_texts())
def test_finds_what_comparing_with_every_number_finds(case):
    numbers, ids, open_numbers, texts = case
    quotable, linear = both(numbers, ids, open_numbers)
    for text in texts:
        assert quotable.by_reference(text) == linear.by_reference(text), text
        assert quotable.by_text(text) == linear.by_text(text), text


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(_CHARS + "aZ9ﬁıøÆ"), max_size=30))
def test_number_key_is_the_latin_letters_and_digits(number):
    assert number_key(number) == "".join(c for c in latin(number).upper() if c.isalnum())
