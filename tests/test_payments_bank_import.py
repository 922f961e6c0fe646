"""payments.bank_import: which entries of a statement are new, by what the Bank tab and Payments hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sheetbill.book.schema import DEFAULT_TABS
from sheetbill.book.table import build
from sheetbill.payments.bank_import import import_statement

from .test_payments_entries import camt

TABS = {t.key: t for t in DEFAULT_TABS}


def tables(bank: list[tuple] = (), payments: list[tuple] = ()) -> dict:
    """Bank rows (Date, Amount, Reference) and Payments rows (Date, Amount, Method, Reference)."""
    def table(key, fields, rows):
        tab = TABS[key]
        header = [tab.column(f).header for f in fields]
        return build(tab, [(1, tuple(header))] + [(n, tuple(r)) for n, r in enumerate(rows, start=2)])
    return {"bank": table("bank", ("date", "amount", "reference"), bank),
            "payments": table("payments", ("date", "amount", "method", "reference"), payments)}


DEC_1 = date(2026, 12, 1)


@pytest.mark.parametrize("bank, payments, known", [
    ([], [], 0),
    ([(DEC_1, 52, "1/2026-12-01/52.00")], [], 1),
    # an earlier version stored the entry number alone: the same entry if day and amount are its
    ([(DEC_1, 52, "1")], [], 1),
    ([(DEC_1, Decimal("52.00"), "1")], [], 1),
    ([(date(2026, 11, 30), 52, "1")], [], 0),  # entry 1 of an earlier statement
    ([(DEC_1, 65, "1")], [], 0),
    ([("", "", "1")], [], 1),  # a row that does not say: taken as the same, as before
    ([], [(DEC_1, 52, "Bank transfer", "1")], 1),
    ([], [(DEC_1, 52, "Bank transfer", "1/2026-12-01/52.00")], 1),
    ([], [(date(2026, 11, 30), 52, "Bank transfer", "1")], 0),
    ([], [(DEC_1, 52, "Cash", "1")], 0),  # only bank transfers carry the bank's identities
])
def test_an_entry_numbered_by_its_statement_is_known_by_number_day_and_amount(tmp_path, bank, payments, known):
    (tmp_path / "s.xml").write_text(camt([("1", "", "2026-12-01", "52.00", "CRDT", [("Mehmet Yilmaz", "52.00")])]))
    result = import_statement(tmp_path / "s.xml", tables(bank, payments), {}, [], [], "EUR", "stamp")
    assert (result.known, len(result.matches)) == (known, 1 - known)
    if not known:
        assert [a.values["reference"] for a in result.appends] == ["1/2026-12-01/52.00"]
