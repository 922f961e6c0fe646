"""A sheet's invoice numbers (or Client IDs), looked up by what a bank entry holds rather than
compared with it one by one: a sheet may hold 100,000s, a statement 100s of entries.

A number's creditor reference is `RF` + two check digits + its letters and digits
(`reference.number_key`), so a reference in an entry is found where the entry's letters
and digits hold `RF`: each run of 5 to 25 of them from there is looked up by what follows
the check digits, and is the reference of the numbers with those letters and digits if it is
exactly the one `reference.creditor_reference` makes of them (made when first needed, then
kept). A former reference (`reference.former_reference`) the same, by `reference.former_key`,
for the numbers it is read for. A number's letters and digits in an entry are found by looking
up each run of the entry's of a length some number's have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .reference import MAX_BODY, former_key, former_reference, number_key

_HEAD = len("RF00")


class NumberIndex:
    def __init__(self, numbers: Sequence[str], reference: Callable[[str], str], former: Callable[[str], bool]) -> None:
        """`numbers`: without repeats, in the sheet's order; `reference`: the creditor reference
        of one; `former`: whether its former reference is read too."""
        self._position = {no: at for at, no in enumerate(numbers)}
        self._reference = reference
        self._by_key: dict[str, list[str]] = {}
        self._by_former: dict[str, list[str]] = {}
        for no in numbers:
            key = number_key(no)
            self._by_key.setdefault(key, []).append(no)
            # in ASCII its former reference is its reference: there is none
            if not no.isascii() and former(no) and (body := former_key(no)) != key:
                self._by_former.setdefault(body, []).append(no)
        self._lengths = sorted({len(key) for key in self._by_key})
        self._references: dict[str, str] = {}
        self._formers: dict[str, str] = {}

    def referenced(self, said: str) -> tuple[str, ...]:
        """The numbers whose creditor reference, or former one where it is read, `said` holds
        (upper-case letters and digits only), in the sheet's order."""
        found: set[str] = set()
        start = said.find("RF")
        while start >= 0:
            for end in range(start + _HEAD + 1, min(len(said), start + _HEAD + MAX_BODY) + 1):
                candidate, body = said[start:end], said[start + _HEAD:end]
                found.update(no for no in self._by_key.get(body, ()) if self._reference_of(no) == candidate)
                found.update(no for no in self._by_former.get(body, ()) if self._former_of(no) == candidate)
            start = said.find("RF", start + 1)
        return self._in_order(found)

    def holding(self, said: str, shortest: int) -> tuple[str, ...]:
        """The numbers of at least `shortest` letters and digits (`reference.number_key`) that
        `said`, letters and digits in upper case, holds, in the sheet's order (none for a number
        with no letters or digits)."""
        found: set[str] = set()
        for length in self._lengths:
            if length < shortest or not length:
                continue
            for start in range(len(said) - length + 1):
                found.update(self._by_key.get(said[start:start + length], ()))
        return self._in_order(found)

    def _reference_of(self, number: str) -> str:
        if number not in self._references:
            self._references[number] = self._reference(number)
        return self._references[number]

    def _former_of(self, number: str) -> str:
        if number not in self._formers:
            self._formers[number] = former_reference(number)
        return self._formers[number]

    def _in_order(self, found: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(found, key=self._position.__getitem__))
