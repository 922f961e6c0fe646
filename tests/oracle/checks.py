"""Every figure of every document, compared with the oracle's account.

Each check returns a list of findings, one line each:
`<document> <key>: says X, expected Y`. A key the contract names and the
context lacks is a finding too (unless `lenient`, to look for wrong values
on a codebase that has not the contract's keys yet)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

from .account import ZERO, Book, Doc, Figures, dec
from .account import day as day_of

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONEY = re.compile(r"-?[\d,]+\.\d{2} EUR")
_MISSING = object()


def amount(text) -> Decimal:
    """`1,234.50 EUR` -> Decimal("1234.50")."""
    assert isinstance(text, str) and MONEY.fullmatch(text.strip()), f"not money: {text!r}"
    return dec(text.strip().removesuffix("EUR").replace(",", ""))


def fmt(value: Decimal) -> str:
    return f"{value:,.2f} EUR"


def a_date(text: str) -> date:
    """`1 Nov 2026` or `2026-11-01`."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return date.fromisoformat(text)
    d, m, y = text.split()
    return date(int(y), MONTHS.index(m) + 1, int(d))


class Findings:
    def __init__(self, where: str, lenient: bool) -> None:
        self.where, self.lenient, self.lines = where, lenient, []

    def get(self, ctx: dict, key: str):
        if key not in ctx:
            if not self.lenient:
                self.lines.append(f"{self.where}: no key {key!r}")
            return _MISSING
        return ctx[key]

    def money(self, ctx: dict, key: str, expected: Decimal) -> None:
        value = self.get(ctx, key)
        if value is not _MISSING and amount(value) != expected:
            self.lines.append(f"{self.where} {key}: says {value}, expected {fmt(expected)}")

    def equal(self, what: str, said, expected) -> None:
        if said != expected:
            self.lines.append(f"{self.where} {what}: says {said!r}, expected {expected!r}")


def earlier(j: Doc, i: Doc) -> bool:
    """Issued on an earlier date, or the same date with a smaller number."""
    return (j.issued, j.no) < (i.issued, i.no)


# -- invoices and credit notes ---------------------------------------------
def check_invoice(ctx: dict, book: Book, today: date, lenient: bool = False) -> list[str]:
    no = ctx["number"]
    f = Findings(f"invoice {no} (made {today})", lenient)
    doc = book.docs.get(no)
    if doc is None:
        return [f"{f.where}: not in the Invoices tab"]
    f.money(ctx, "total", doc.total)
    if doc.credit_note:
        f.money(ctx, "amount_due", ZERO)
        if (s := f.get(ctx, "status")) is not _MISSING:
            f.equal("status", s, "Credit note")
        if (p := f.get(ctx, "is_paid")) is not _MISSING:
            f.equal("is_paid", p, False)
        return f.lines
    paid = book.paid(no, today)
    balance = doc.total - paid
    previous = sum((book.open(j, today) for j in book.of(doc.client) if j.no != no and earlier(j, doc)),
                   ZERO) - book.credit(doc.client, today)
    f.money(ctx, "paid", paid)
    f.money(ctx, "balance", balance)
    f.money(ctx, "previous_balance", previous)
    if (h := f.get(ctx, "has_previous_balance")) is not _MISSING:
        f.equal("has_previous_balance", h, previous != 0)
    f.money(ctx, "amount_due", max(ZERO, balance + previous))
    if (p := f.get(ctx, "is_paid")) is not _MISSING:
        f.equal("is_paid", p, doc.total > 0 and balance == 0)
    # an invoice of 0.00 is never to be paid: neither "Paid" (nothing came) nor "Open"
    status = ("Nothing to pay" if doc.total == 0 else "Paid" if doc.total > 0 and balance == 0
              else "Partially paid" if paid > 0 else "Open")
    if (s := f.get(ctx, "status")) is not _MISSING:
        f.equal("status", s, status)
    if (listed := f.get(ctx, "payments")) is not _MISSING:
        expected = sorted((p.pid, a) for p, a in book.payments_on(no, today))
        refs = {p.pid: p for p, _ in book.payments_on(no, today)}
        refs.update({p.receipt: p for p in refs.copy().values() if p.receipt})
        said = []
        for item in listed:
            p = refs.get(item.get("reference"))
            said.append((p.pid if p else item.get("reference"), amount(item.get("amount"))))
            if p is not None and a_date(item.get("date", "")) != p.day:
                f.lines.append(f"{f.where} payments: {p.pid} dated {item.get('date')}, expected {p.day}")
        f.equal("payments", sorted(said), expected)
    return f.lines


def check_lines(ctx: dict, expected: Figures, lenient: bool = False) -> list[str]:
    """An invoice's (or credit note's) lines, taxes and totals against the oracle's prices.
    Prices are net here: a line's amount is its net; its discount is shown as money off
    (empty where nothing is taken off)."""
    f = Findings(f"invoice {ctx['number']}", lenient)
    want = {(p.session, p.code): p for p in expected.expected}
    listed = f.get(ctx, "lines")
    if listed is _MISSING:
        return f.lines
    seen = set()
    for line in listed:
        key = (line.get("session_id"), line.get("code"))
        p = want.get(key)
        if p is None or key in seen:
            f.lines.append(f"{f.where}: line {key} {'twice' if key in seen else 'is none of its sessions'}")
            continue
        seen.add(key)
        where = f"line {key[0]} {key[1]}"
        off = line.get("discount")
        if (amount(off) if off else ZERO) != -p.discount:
            f.lines.append(f"{f.where} {where} discount: says {off!r}, expected {fmt(-p.discount)}")
        for k, value in (("net", p.net), ("amount", p.amount), ("unit_price", p.unit_price)):
            if k in line and amount(line[k]) != value:
                f.lines.append(f"{f.where} {where} {k}: says {line[k]}, expected {fmt(value)}")
        if dec(line.get("quantity")) != dec(p.quantity):
            f.lines.append(f"{f.where} {where} quantity: says {line.get('quantity')}, expected {p.quantity}")
        if "tax" in line and "total" in line and amount(line["net"]) + amount(line["tax"]) != amount(line["total"]):
            f.lines.append(f"{f.where} {where}: net {line['net']} + tax {line['tax']} != total {line['total']}")
    for key in sorted(set(want) - seen):
        f.lines.append(f"{f.where}: no line {key}")
    if (taxes := f.get(ctx, "taxes")) is not _MISSING:
        said = {(t.get("category"), t["rate"]): (amount(t["net"]), amount(t["tax"])) for t in taxes}
        f.equal("taxes", said, {(category, f"{rate.normalize():f}%"): figures
                                for (category, rate), figures in expected.taxes.items()})
        for (category, rate), (_, tax) in expected.taxes.items():
            on_lines = sum((amount(line["tax"]) for line in listed if "tax" in line and
                            want.get((line.get("session_id"), line.get("code"))) is not None and
                            (want[(line["session_id"], line["code"])].category,
                             want[(line["session_id"], line["code"])].rate) == (category, rate)), ZERO)
            if on_lines != tax:
                f.lines.append(f"{f.where}: the {category} {rate.normalize():f}% lines' tax adds up to {fmt(on_lines)}, "
                               f"the invoice's {fmt(tax)}")
    f.money(ctx, "net", expected.net)
    f.money(ctx, "tax", expected.tax)
    f.money(ctx, "total", expected.total)
    if (h := f.get(ctx, "has_discounts")) is not _MISSING:
        f.equal("has_discounts", h, any(p.discount for p in expected.lines))
    if any(p.category == "AE" for p in expected.lines) and (notes := f.get(ctx, "vat_notes")) is not _MISSING:
        if not (any("Reverse charge" in n for n in notes)
                and any(re.search(r"Recipient VAT ID: [A-Z]{2}\w+", n) for n in notes)):
            f.lines.append(f"{f.where}: reverse-charge lines, but its VAT notes say {notes!r}")
    return f.lines


# -- receipts --------------------------------------------------------------
def _taken_back(book: Book, p) -> list[tuple[str, Decimal]]:  # noqa: ANN001
    """A refund receipt's invoices: of the invoices its row names (the payment it refunds paid them in
    that order), what came off each, the last paid first, each up to what was on it by the refund's day."""
    docs = {d.no.upper(): d for d in book.of(p.client)}
    names = list(dict.fromkeys(ref.strip().upper() for ref in p.invoice_no.split(",") if ref.strip()))
    out, left = [], -p.amount
    for ref in reversed(names):
        d = docs.get(ref)
        if d is None or d.credit_note:
            continue
        on = sum((a for q in book.payments if q.client == p.client
                  for no, a, when in book.effects(q) if no == d.no and when <= p.day), ZERO)
        if (take := min(left, on)) > 0:
            out.append((d.no, take))
            left -= take
    return out


def check_receipt(ctx: dict, book: Book, lenient: bool = False) -> list[str]:
    pid = ctx.get("payment_id")
    f = Findings(f"receipt {ctx.get('number')} of {pid}", lenient)
    p = next((q for q in book.payments if q.pid == pid), None)
    if p is None:
        return [f"{f.where}: payment not applied in Payments"]
    refund = p.amount < 0
    if (k := f.get(ctx, "kind")) is not _MISSING:
        f.equal("kind", k, "refund" if refund else "receipt")
    f.money(ctx, "amount", abs(p.amount))
    first, _ = p.first_application()
    if (listed := f.get(ctx, "allocations")) is not _MISSING:
        f.equal("allocations", sorted((a["invoice_no"], amount(a["amount"])) for a in listed),
                sorted(_taken_back(book, p) if refund else first))
    f.money(ctx, "unapplied", ZERO if refund else p.amount - sum((a for _, a in first), ZERO))
    # as of its own date; a payment dated before an invoice it paid, as of the newest such invoice's date
    issued = {d.no: d.issued for d in book.of(p.client)}
    at = max([p.day] + [day for ref, _ in first if (day := issued.get(ref)) is not None])
    order = (p.day, p.row) if at == p.day else (at, 1 << 62)  # as of a later day: all payments dated by its end

    def applied(q):
        """What a payment up to this one had put on invoices by the payment's date: this one
        what its receipt lists; others their entries counting by then (money a later void
        frees counts from the credit note's date)."""
        if q is p:
            return first
        return [(ref, a) for ref, a, when in book.effects(q) if when <= at]

    upto = [q for q in book.payments if q.client == p.client and (q.day, q.row) <= order]
    still_open = ZERO
    for d in book.of(p.client):
        if book.live(d, at):
            still_open += d.total - sum((a for q in upto for ref, a in applied(q) if ref == d.no), ZERO)
    credit = book.credit(p.client, at, upto=lambda q: (q.day, q.row) <= order)
    f.money(ctx, "still_open", still_open)
    f.money(ctx, "credit", credit)
    return f.lines


# -- statements ------------------------------------------------------------
def check_statement(ctx: dict, book: Book, lenient: bool = False) -> list[str]:
    cid = ctx["client"]["id"]
    start, end, today = a_date(ctx["period_from"]), a_date(ctx["period_to"]), a_date(ctx["date_iso"])
    f = Findings(f"statement of {cid} {start}..{end} (made {today})", lenient)
    got = {k: amount(v) for k in ("opening", "closing", "charges", "payments", "credit", "due")
           if (v := f.get(ctx, k)) is not _MISSING}
    charges = sum((d.total for d in book.of(cid) if start <= d.issued <= end), ZERO)
    credit = book.credit(cid, end)
    due = book.net(cid, end)
    f.money(ctx, "charges", charges)
    f.money(ctx, "credit", credit)
    f.money(ctx, "due", max(ZERO, due))  # never asked below nothing: the credit is shown beside it
    f.money(ctx, "closing", book.closing(cid, end))
    f.money(ctx, "opening", book.closing(cid, start - timedelta(days=1)))
    if len(got) == 6 and got["closing"] != got["opening"] + got["charges"] - got["payments"]:
        f.lines.append(f"{f.where}: closing {got['closing']} != opening {got['opening']} + charges "
                       f"{got['charges']} - payments {got['payments']}")
    if (entries := f.get(ctx, "entries")) is not _MISSING:
        balance = got.get("opening", ZERO)
        last = None
        for e in entries:
            when = a_date(e.get("date_iso") or e["date"])
            if not start <= when <= end:
                f.lines.append(f"{f.where} entry {e['reference']}: dated {when}, outside the period")
            if last is not None and when < last:
                f.lines.append(f"{f.where} entry {e['reference']}: dated {when}, after an entry of {last}")
            last = when
            if "amount" in e:
                balance += amount(e["amount"])
                if amount(e["balance"]) != balance:
                    f.lines.append(f"{f.where} entry {e['reference']} balance: says {e['balance']}, "
                                   f"expected {fmt(balance)}")
            if e["kind"] in ("payment", "refund"):
                p = next((q for q in book.payments if e["reference"] in (q.pid, q.receipt)), None)
                if p is None or when not in {w for _, _, w in book.effects(p)} | {p.day}:
                    f.lines.append(f"{f.where} entry {e['reference']}: dated {when}, the payment is of "
                                   f"{p.day if p else '?'}")
            if e["kind"] == "released":  # money taken off a voided invoice: on its credit note's date
                p = next((q for q in book.payments if e["reference"] in (q.pid, q.receipt)), None)
                voided = book.cancelled_on(e["invoice_no"])
                if p is None or voided != when or not any(ref == e["invoice_no"] for ref, _, _ in book.effects(p)):
                    f.lines.append(f"{f.where} entry {e['reference']}: taken off {e['invoice_no']} on {when}, "
                                   f"which was voided on {voided}")
        docs = [e["reference"] for e in entries if e["kind"] in ("invoice", "credit_note")]
        f.equal("invoices and credit notes listed", sorted(docs),
                sorted(d.no for d in book.of(cid) if start <= d.issued <= end))
        for d in book.of(cid):
            if d.credit_note and d.cancels in docs and d.no in docs and docs.index(d.no) < docs.index(d.cancels):
                f.lines.append(f"{f.where}: credit note {d.no} listed before the invoice {d.cancels} it cancels")
        if "closing" in got and entries and "amount" in entries[-1] and balance != got["closing"]:
            f.lines.append(f"{f.where}: the entries end at {fmt(balance)}, closing says {fmt(got['closing'])}")
    open_now = {d.no: book.open(d, today) for d in book.of(cid) if book.open(d, today) != 0}
    aging_total = sum(open_now.values(), ZERO)
    if (aging := f.get(ctx, "aging")) is not _MISSING:
        f.equal("aging total", amount(aging["total"]), aging_total)
        parts = sum((amount(aging[k]) for k in ("not_due", "days_0_30", "days_31_60", "days_61_90", "over_90")),
                    ZERO)
        f.equal("aging parts", parts, aging_total)
    if (items := f.get(ctx, "open_items")) is not _MISSING:
        f.equal("open items", {i["invoice_no"]: amount(i["open"]) for i in items}, open_now)
    if (n := f.get(ctx, "nothing_to_pay")) is not _MISSING:
        f.equal("nothing_to_pay", n, aging_total == 0 and due <= 0)
    return f.lines


# -- the workbook's own figures ----------------------------------------------
def check_workbook(book: Book, today: date) -> list[str]:
    out = []
    for d in book.docs.values():
        if d.credit_note or not book.live(d, today):
            continue
        paid = book.paid(d.no, today)  # an invoice of 0.00 is not paid: nothing was (as is_paid on it says)
        status = "Paid" if d.total > 0 and paid == d.total else "Partially Paid" if paid > 0 else "Finalized"
        if (d.paid_cell, d.balance_cell, d.status) != (paid, d.total - paid, status):
            out.append(f"Invoices {d.no}: Paid/Balance/Status {d.paid_cell}/{d.balance_cell}/{d.status}, "
                       f"expected {paid}/{d.total - paid}/{status}")
        if paid > d.total:
            out.append(f"Invoices {d.no}: {paid} applied to a total of {d.total}")
    for cid, row in book.clients.items():
        expected = (book.open_total(cid, today), book.credit(cid, today))
        said = (dec(row.get("Balance")), dec(row.get("Credit")))
        if said != expected:
            out.append(f"Clients {cid}: Balance/Credit {said[0]}/{said[1]}, expected {expected[0]}/{expected[1]}")
        if expected[1] < 0:
            out.append(f"Clients {cid}: credit {expected[1]} below zero")
    return out + check_dashboard(book, today) + check_cash(book)


AGING = (("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, 10**6))


def check_dashboard(book: Book, today: date) -> list[str]:
    """The Dashboard's money rows against the oracle's open amounts and the invoices' nets."""
    if not book.dashboard:
        return []
    open_ = {d.no: (d, book.open(d, today)) for d in book.docs.values() if book.open(d, today) > 0}
    late = {no: (today - d.due).days for no, (d, _) in open_.items() if d.due and d.due < today}

    def total(numbers) -> tuple[Decimal, int]:
        numbers = list(numbers)
        return sum((open_[n][1] for n in numbers), ZERO), len(numbers)

    expected = {"Open invoices (gross)": total(open_), "Overdue invoices (gross)": total(late),
                "Open invoices not yet due (gross)": total(n for n in open_ if n not in late)}
    for label, low, high in AGING:
        expected[f"Aging {label} days past due (gross)"] = total(n for n, days in late.items() if low <= days <= high)
    for months_back in range(12):
        year, month = today.year, today.month - months_back
        while month < 1:
            year, month = year - 1, month + 12
        docs = [d for d in book.docs.values() if d.issued and (d.issued.year, d.issued.month) == (year, month)]
        expected[f"Revenue {year:04d}-{month:02d} (net)"] = (sum((d.net for d in docs), ZERO), len(docs))
    out = []
    for item, (value, count) in expected.items():
        said = book.dashboard.get(item)
        if said is None or (dec(said[0]), said[1]) != (value, count):
            out.append(f"Dashboard {item}: says {said}, expected {(value, count)}")
    return out


def check_cash(book: Book) -> list[str]:
    """Each Cash day: what the applied cash payments and cash refunds of that day make of its drawer
    (and the cash paid at the desk for a session not invoiced yet: it is in the drawer that day)."""
    taken: dict[date, Decimal] = {}
    paid_out: dict[date, Decimal] = {}
    for on, amount, method in [(p.day, p.amount, p.method) for p in book.payments] + book.waiting:
        if method.strip().lower() == "cash" and amount:
            side = taken if amount > 0 else paid_out
            side[on] = side.get(on, ZERO) + abs(amount)
    out, opens_with = [], ZERO  # a day without an Opening opens with the day before's count, else its Expected
    for row in sorted(book.cash, key=lambda r: day_of(r["Date"])):
        d = day_of(row["Date"])
        opening = dec(row["Opening"]) if row.get("Opening") not in (None, "") else opens_with
        expected = opening + taken.get(d, ZERO) - paid_out.get(d, ZERO)
        counted = None if row.get("Counted") in (None, "") else dec(row["Counted"])
        status = "Open" if counted is None else "Balanced" if counted == expected else \
            "Over" if counted > expected else "Short"
        want = {"Cash In": taken.get(d, ZERO), "Cash Out": paid_out.get(d, ZERO), "Expected": expected,
                "Variance": None if counted is None else counted - expected, "Status": status}
        said = {k: row.get(k) if k == "Status" or row.get(k) in (None, "") else dec(row.get(k)) for k in want}
        if said != want:
            out.append(f"Cash {d}: says {said}, expected {want}")
        opens_with = expected if counted is None else counted
    return out


# -- emails ------------------------------------------------------------------
def money_in(value) -> set[Decimal]:
    if isinstance(value, str):
        return {amount(m) for m in MONEY.findall(value)}
    if isinstance(value, dict):
        return set().union(*(money_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(money_in(v) for v in value)) if value else set()
    return set()


def check_email(msg, context: dict | None, now: datetime, reminder_open: Decimal | None = None) -> list[str]:
    """`context`: the recorded context of the attached PDF; `reminder_open`: for a
    reminder, the balance open on its invoice today."""
    subject = str(msg["Subject"])
    where = f"email {subject!r}"
    out = []
    sent = msg["Date"].datetime
    if abs(sent - now) > timedelta(minutes=1):
        out.append(f"{where} Date: says {sent.isoformat()}, written at {now.isoformat()}")
    body = msg.get_body(preferencelist=("plain",)).get_content()
    said = {amount(m) for m in MONEY.findall(body)}
    if context is None:
        return out + [f"{where}: its attachment is none of the documents made in this run"]
    if reminder_open is not None:
        open_said = {amount(m) for m in re.findall(r"(-?[\d,]+\.\d{2} EUR) is still open", body)}
        if open_said != {reminder_open}:
            out.append(f"{where}: says {sorted(map(str, open_said))} still open, expected {reminder_open}")
        shown = context.get("balance", context.get("amount_due"))
        if shown is None or amount(shown) != reminder_open:
            out.append(f"{where}: attaches {context.get('number')} saying balance {shown}, expected "
                       f"{fmt(reminder_open)}")
        return out
    extra = said - money_in(context)
    if extra:
        out.append(f"{where}: names {sorted(map(str, extra))}, which its document does not say")
    return out
