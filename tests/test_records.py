"""Tables -> records, read a column at a time, against the same rows read one cell
at a time with the parsers of `cells` (the rule every column follows: a cell that
cannot be read gives the field's default and a sentence on its row, in the order
of the row's fields)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from sheetbill.book import cells, records
from sheetbill.book.markers import CellError, FormulaNoValue
from sheetbill.book.schema import DEFAULT_TABS
from sheetbill.book.table import build
from sheetbill.core import status
from sheetbill.core.payments import parse_applied

CELLS = st.sampled_from([
    None, "", "  S-1 ", "C-7", "LD60", "Completed", " completed ", "Sent", "Paid", "19%", "7 %", "abc", "10%",
    "BANDAGE x2, GEL", "x x", "2026-11-03", "03.11.2026", "31.02.2026", "yes", "Nein", "de", "xx-nope",
    "INV-2026-0001", "INV-2026-0001:12.50", "broken:", "per session",
    Decimal("65.00"), Decimal("0.19"), Decimal("-3"), Decimal("1.5"), Decimal("NaN"), Decimal(45000),
    date(2026, 11, 3), datetime(2026, 11, 3, 9, 30), True, False, CellError("#N/A"), FormulaNoValue("=A1"),
])


def _day(value: object, header: str, day_first: bool = True):
    return cells.day(value, header, day_first)


def _language(value: object, header: str) -> str:
    return records._language(value, header)


def _expected(parse, raw: object, header: str, default: object) -> tuple[object, str | None]:
    """One cell read on its own: its value, or the default and the sentence."""
    if raw is None and default is not None and parse is not cells.flag:
        return default, None
    try:
        return parse(raw, header), None
    except cells.CellProblem as exc:
        return default, str(exc)


def _table(key: str, present: list[str], rows: list[list[object]]):
    tab = next(t for t in DEFAULT_TABS if t.key == key)
    headers = [tab.column(f).header for f in present]
    return build(tab, [(1, tuple(headers))] + [(n + 2, tuple(r[: len(present)])) for n, r in enumerate(rows)])


def _cells(table, values: tuple[object, ...], field: str) -> object:
    return table.get(values, field)


def _read(table, values, spec) -> tuple[dict[str, object], tuple[str, ...]]:
    """The row read cell by cell: field -> value, and its sentences in order."""
    got, errors = {}, []
    for field, parse, default in spec:
        value, problem = _expected(parse, _cells(table, values, field), table.headers[field], default)
        got[field] = value
        if problem:
            errors.append(problem)
    return got, tuple(errors)


def tables(key: str, fields: list[str]):
    return st.tuples(
        st.lists(st.sampled_from(fields), unique=True, min_size=1),
        st.lists(st.lists(CELLS, min_size=0, max_size=len(fields)), max_size=8),
    ).map(lambda p: _table(key, p[0], p[1]))


SESSION = [("session_id", cells.text, ""), ("date", _day, None), ("client", cells.text, ""),
           ("service", cells.text, ""), ("quantity", cells.number, None), ("extras", cells.extras, ()),
           ("discount", cells.discount, None), ("provider", cells.text, ""), ("status", cells.text, ""),
           ("notes", cells.text, ""), ("invoice_no", cells.text, ""), ("billing_status", cells.text, ""),
           ("problem", cells.text, "")]


@settings(max_examples=300, deadline=None)
@given(tables("sessions", [f for f, _, _ in SESSION]))
def test_sessions_read_by_column_as_cell_by_cell(table):
    made = records.sessions(table)
    assert len(made) == len(table.rows)
    for session, (row, values) in zip(made, table.rows):
        got, errors = _read(table, values, SESSION)
        assert session.row == row
        assert session.errors == errors
        assert (session.session_id, session.date, session.client, session.service, session.quantity,
                session.extras, session.discount, session.provider, session.notes, session.invoice_no,
                session.problem) == tuple(got[f] for f in ("session_id", "date", "client", "service", "quantity",
                                                           "extras", "discount", "provider", "notes",
                                                           "invoice_no", "problem"))
        assert (session.status, session.status_text) == (status.session_status(got["status"]), got["status"])
        assert session.billing_status_text == got["billing_status"]


LINE = [("invoice_no", cells.text, ""), ("session_id", cells.text, ""), ("date", _day, None),
        ("code", cells.text, ""), ("description", cells.text, ""), ("quantity", cells.number, None),
        ("unit_price", cells.number, None), ("discount", cells.number, None), ("tax_rate", cells.rate, None),
        ("net", cells.number, None), ("tax", cells.number, None), ("total", cells.number, None),
        ("vat_category", cells.text, ""), ("exemption_reason", cells.text, ""), ("vatex", cells.text, ""),
        ("prices", cells.text, "")]


@settings(max_examples=300, deadline=None)
@given(tables("lines", [f for f, _, _ in LINE]))
def test_lines_keep_the_rows_with_an_invoice_number_and_read_money_as_zero_when_empty(table):
    kept = [(row, values) for row, values in table.rows if _read(table, values, LINE[:1])[0]["invoice_no"]]
    made = records.lines(table)
    assert len(made) == len(kept)
    zero = Decimal(0)
    for line, (row, values) in zip(made, kept):
        got, _ = _read(table, values, [(f, p, d) for f, p, d in LINE if f != "date"] + [("date", cells.day, None)])
        got["date"] = _expected(lambda v, h: cells.day(v, h, False), _cells(table, values, "date"), "", None)[0]
        assert line.row == row
        assert (line.invoice_no, line.session_id, line.date, line.code, line.description) == (
            got["invoice_no"], got["session_id"], got["date"], got["code"], got["description"])
        assert (line.quantity, line.unit_price, line.discount, line.tax_rate, line.net, line.tax, line.total) == tuple(
            got[f] or zero for f in ("quantity", "unit_price", "discount", "tax_rate", "net", "tax", "total"))
        assert (line.vat_category, line.exemption_reason, line.vatex, line.gross) == (
            got["vat_category"].upper(), got["exemption_reason"], got["vatex"], got["prices"].lower() == "gross")


INVOICE = ["invoice_no", "issue_date", "client_id", "sessions", "total", "paid", "status", "sent_at"]


@settings(max_examples=200, deadline=None)
@given(tables("invoices", INVOICE))
def test_invoices_carry_their_sessions_and_status(table):
    made = {i.invoice_no: i for i in records.invoices(table, ())}
    for _, values in table.rows:
        number = _expected(cells.text, _cells(table, values, "invoice_no"), "", "")[0]
        if not number or number not in made:
            assert not number
            continue
        invoice = made[number]
        listed = _expected(cells.text, _cells(table, values, "sessions"), "", "")[0]
        shown = _expected(cells.text, _cells(table, values, "status"), "", "")[0]
        if [v for _, v in table.rows if _expected(cells.text, _cells(table, v, "invoice_no"), "", "")[0] == number][-1] is values:
            assert invoice.session_ids == tuple(s.strip() for s in listed.split(",") if s.strip())
            assert invoice.status_text == shown
            assert invoice.paid == (_expected(cells.number, _cells(table, values, "paid"), "", None)[0] or 0)


PAYMENT = [("payment_id", cells.text, ""), ("date", _day, None), ("client", cells.text, ""),
           ("invoice_no", cells.text, ""), ("amount", cells.number, None), ("method", cells.text, ""),
           ("reference", cells.text, ""), ("receipt_no", cells.text, ""), ("receipt_sent_at", cells.text, ""),
           ("problem", cells.text, ""), ("applied_to", cells.text, "")]


@settings(max_examples=300, deadline=None)
@given(tables("payments", [f for f, _, _ in PAYMENT]))
def test_payments_keep_a_row_with_anything_to_say_and_its_applied_to_sentence_last(table):
    expected = []
    for row, values in table.rows:
        got, errors = _read(table, values, PAYMENT)
        try:
            applied = parse_applied(got["applied_to"])
        except ValueError:
            errors += (f"Applied To '{got['applied_to']}' cannot be read; restore it from the Changelog",)
            applied = ()
        if got["payment_id"] or got["amount"] is not None or got["client"] or errors:
            expected.append((row, got["payment_id"], got["amount"], got["client"], applied, errors))
    assert [(p.row, p.payment_id, p.amount, p.client, p.applied, p.errors)
            for p in records.payments(table)] == expected


SERVICE = [("code", cells.text, ""), ("description", cells.text, ""), ("unit_price", cells.number, None),
           ("tax_rate", cells.rate, None), ("unit", cells.text, ""), ("valid_from", _day, None),
           ("active", cells.flag, True), ("vat_category", cells.text, ""), ("exemption_reason", cells.text, ""),
           ("prices", cells.text, "")]
CLIENT = [("client_id", cells.text, ""), ("name", cells.text, ""), ("email", cells.text, ""),
          ("address", cells.text, ""), ("discount", cells.discount, None), ("terms_days", cells.terms, None),
          ("invoice_mode", cells.text, ""), ("tax_id", cells.text, ""), ("balance", cells.number, None),
          ("credit", cells.number, None), ("vat_category", cells.text, ""), ("e_invoice", cells.text, ""),
          ("buyer_reference", cells.text, ""), ("language", _language, "")]
CASH = [("date", _day, None), ("opening", cells.number, None), ("counted", cells.number, None),
        ("cash_in", cells.number, None), ("cash_out", cells.number, None), ("expected", cells.number, None),
        ("variance", cells.number, None), ("status", cells.text, "")]


KINDS = {  # tab -> how its records are made, the fields compared, which rows make one
    "services": (records.services, SERVICE, ("code", "unit_price", "tax_rate", "active"),
                 lambda got, errors: bool(got["code"])),
    "clients": (records.clients, CLIENT, ("client_id", "discount", "terms_days", "language"),
                lambda got, errors: bool(got["client_id"] or got["name"])),
    "cash": (records.cash, CASH, ("date", "counted", "status"), lambda got, errors: bool(got["date"] or errors)),
}


@pytest.mark.parametrize("key", list(KINDS))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_small_tabs_keep_the_rows_that_make_a_record_with_their_sentences(key, data):
    make, spec, compared, kept = KINDS[key]
    table = data.draw(tables(key, [f for f, _, _ in spec]))
    expected = []
    for row, values in table.rows:
        got, errors = _read(table, values, spec)
        if kept(got, errors):
            expected.append((row, *(got[f] for f in compared), errors))
    assert [(r.row, *(getattr(r, f) for f in compared), r.errors) for r in make(table)] == expected
