"""Invoice number patterns: `INV-{year}-{seq:04}`, gapless per series.

A series is every number the pattern can produce in one scope: one year when
the pattern has `{year}`, otherwise all time. The next number is always
taken from the ledger itself (the highest sequence of the scope plus one),
never from a counter kept elsewhere, so it can neither skip nor repeat.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date
from typing import Iterable

from .plan import CellWrite

_TOKEN = re.compile(r"\{(year|month|client|seq)(?::0?(\d+))?\}")


class PatternError(ValueError):
    """The configured pattern cannot number a gapless series."""


@dataclass(frozen=True)
class NumberPattern:
    pattern: str
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)  # the numbers it makes
    # numbers already asked about: every invoice's number is asked about several times a cycle
    _matched: dict[str, bool] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        tokens = [m.group(1) for m in _TOKEN.finditer(self.pattern)]
        if tokens.count("seq") != 1:
            raise PatternError(f"pattern {self.pattern!r} must contain {{seq}} exactly once, e.g. INV-{{year}}-{{seq:04}}")
        leftover = _TOKEN.sub("", self.pattern)
        if "{" in leftover or "}" in leftover:
            raise PatternError(f"pattern {self.pattern!r} has an unknown token; use {{year}}, {{month}}, {{client}}, {{seq:04}}")
        object.__setattr__(self, "_regex", _compiled(self.pattern))

    @property
    def yearly(self) -> bool:
        return "{year" in self.pattern

    def format(self, seq: int, on: date, client: str = "") -> str:
        out = []
        for literal, name, width in _pieces(self.pattern):
            out.append(literal)
            if name == "seq":
                out.append(str(seq).zfill(width))
            elif name == "year":
                out.append(f"{on.year:04d}")
            elif name == "month":
                out.append(f"{on.month:02d}")
            elif name == "client":
                out.append(_client_token(client))
        return "".join(out)

    def parse(self, number: str) -> tuple[int | None, int] | None:
        """(year or None, seq) of a number of this pattern, or None if it is not one."""
        m = self._regex.fullmatch(number.strip())
        if not m:
            return None
        return (int(m.group("year")) if self.yearly else None), int(m.group("seq"))

    def matches(self, number: str) -> bool:
        """Whether `number` is one of this pattern's."""
        found = self._matched.get(number)
        if found is None:
            found = self._matched[number] = self._regex.fullmatch(number.strip()) is not None
        return found

    def scope(self, on: date) -> int | None:
        return on.year if self.yearly else None


@lru_cache(maxsize=64)
def _pieces(pattern: str) -> tuple[tuple[str, str, int], ...]:
    """`pattern` as (literal text, token name or "", width) pieces, in order (a first cycle
    numbers a hundred thousand invoices: the pattern is not parsed for each)."""
    out, at = [], 0
    for m in _TOKEN.finditer(pattern):
        out.append((pattern[at:m.start()], m.group(1), int(m.group(2) or 0)))
        at = m.end()
    out.append((pattern[at:], "", 0))
    return tuple(out)


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    """The regex that recognises the numbers of `pattern`."""
    parts, pos = [], 0
    for m in _TOKEN.finditer(pattern):
        parts.append(re.escape(pattern[pos:m.start()]))
        parts.append({"seq": r"(?P<seq>\d+)", "year": r"(?P<year>\d{4})",
                      "month": r"\d{2}", "client": r"[A-Za-z0-9-]*"}[m.group(1)])
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    return re.compile("".join(parts))


def _client_token(client: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "", client)[:20]


class Sequencer:
    """Hands out the next numbers of a pattern, starting after the ledger's. The
    ledger's numbers (`existing`, read from immutable records) are read at the
    first `next`: most cycles number nothing."""

    def __init__(self, pattern: NumberPattern, existing: Iterable[str]) -> None:
        self.pattern = pattern
        self._existing = existing
        self._highest: dict[int | None, int] | None = None

    def _last(self) -> dict[int | None, int]:
        if self._highest is None:
            self._highest = {}
            for number in self._existing:
                parsed = self.pattern.parse(number)
                if parsed:
                    scope, seq = parsed
                    self._highest[scope] = max(self._highest.get(scope, 0), seq)
            self._existing = ()
        return self._highest

    def next(self, on: date, client: str = "") -> str:
        last = self._last()
        scope = self.pattern.scope(on)
        seq = last.get(scope, 0) + 1
        last[scope] = seq
        return self.pattern.format(seq, on, client)


def highest(pattern: NumberPattern, numbers: Iterable[str]) -> tuple[str, ...]:
    """The highest of `numbers` in each scope of `pattern` (a series' high-water mark), oldest scope first."""
    top: dict[int | None, tuple[int, str]] = {}
    for number in numbers:
        parsed = pattern.parse(number)
        if parsed and parsed[1] > top.get(parsed[0], (0, ""))[0]:
            top[parsed[0]] = (parsed[1], number.strip())
    return tuple(top[s][1] for s in sorted(top, key=lambda s: (s is None, s or 0)))


def gaps_and_duplicates(pattern: NumberPattern, numbers: Iterable[str]) -> list[str]:
    """Human findings for a series: missing and repeated sequence numbers."""
    seen: dict[int | None, list[int]] = {}
    for number in numbers:
        parsed = pattern.parse(number)
        if parsed:
            seen.setdefault(parsed[0], []).append(parsed[1])
    findings = []
    for scope, seqs in sorted(seen.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        label = f" in {scope}" if scope is not None else ""
        dupes = sorted(s for s, n in Counter(seqs).items() if n > 1)
        if dupes:
            findings.append(f"{pattern.pattern}: sequence numbers used twice{label}: {', '.join(map(str, dupes))}")
        missing = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
        if missing:
            findings.append(f"{pattern.pattern}: sequence numbers missing{label}: {', '.join(map(str, missing[:20]))}")
    return findings


def with_ids(rows, tab: str, field: str, pattern: NumberPattern, has_content, writes: list) -> list:
    """Give rows entered without an ID (a form, a phone, a copy) the next one of
    `pattern`, recording the cell writes; rows without an ID that `has_content` does not
    take for one of the tab's records (empty, or the admin's own: a total, a label) are dropped."""
    rows = list(rows)
    sequencer = Sequencer(pattern, (getattr(r, field) for r in rows))
    out = []
    for r in rows:
        if not getattr(r, field) and has_content(r):
            r = replace(r, **{field: sequencer.next(r.date or date.min)})
            writes.append(CellWrite(tab, r.row, "", field, "", getattr(r, field)))
        if getattr(r, field):
            out.append(r)
    return out
