"""A Discount that cannot be taken (over 100 %, or more than the session's price) bills nothing
and says so next to the session, in the words the admin typed and naming whose Discount it is."""

from __future__ import annotations

from datetime import date

import openpyxl

from .conftest import session


def problems(practice) -> dict[str, tuple]:
    return {r["Session ID"]: (r["Invoice No"], r["Billing Status"], r["Problem"]) for r in practice.rows("Sessions")}


def test_a_clients_discount_over_the_price_is_named_as_the_clients(practice):
    """Anna's own row says 150 % off, her sessions' Discount cells are empty: the Problem next to
    each session said 'Discount 150% must be between 0% and 100%', and the admin looked at an
    empty cell. It names her Discount."""
    practice.set("Clients", "C-001", "Discount", "150%")
    practice.set("Clients", "C-002", "Discount", "250")  # Jonas: 250.00 off a 65.00 session
    practice.append("Sessions", session("S-00001", date(2026, 11, 20)),
                    session("S-00002", date(2026, 11, 20), client="C-002"))
    practice.run()
    assert problems(practice) == {
        "S-00001": (None, "Problem", "Client C-001's Discount 150% must be between 0% and 100%"),
        "S-00002": (None, "Problem", "Client C-002's Discount 250 is more than the session's 65.00")}
    assert practice.rows("Invoices") == []


def test_a_sessions_discount_typed_as_150_percent_reads_as_typed(practice):
    """150% typed in Excel is 1.5 under the format `0%`: the Problem said 'Discount 150.0%'."""
    practice.append("Sessions", session("S-00001", date(2026, 11, 20), discount=1.5))
    book = openpyxl.load_workbook(practice.workbook)
    sessions = book["Sessions"]
    column = [c.value for c in sessions[1]].index("Discount") + 1
    sessions.cell(row=2, column=column).number_format = "0%"
    book.save(practice.workbook)
    practice.run()
    assert problems(practice) == {"S-00001": (None, "Problem", "Discount 150% must be between 0% and 100%")}
    assert practice.rows("Invoices") == []
