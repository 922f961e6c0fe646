"""Each client's account, recomputed from the workbook's rows with openpyxl and
a few lines of arithmetic, and what each session costs (at the end: prices,
discounts, tax); nothing from sheetbill.

Definitions (contract.md, issue 7), each "as of" a day:
- an invoice is live at a day when it was issued by then and no credit note
  cancelling it was issued by then; credit notes are never open;
- a payment's Applied To entries: what it paid when it was applied (the
  leading entries up to its Amount) counts from the payment's own date, also
  on an invoice issued later (paid at the desk); money it left as credit or got
  back from a voided invoice (from the credit note's date) is free, and an entry
  appended later spends it and counts from that invoice's issue date;
- open(invoice, day) = total - what payments dated by then put on it;
- credit(day) = money received by then (refunds negative) - what of it is on
  live invoices by then;
- net(day) = everything charged by then - everything received by then
  (= open - credit); a statement's closing balance is net + credit;
- a refund of money on an invoice, made before that invoice's void, is owed by
  the client until the void (credit is never below 0.00): received - applied is
  below 0.00 only then, never today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def dec(value) -> Decimal:
    if value is None or value == "":
        return ZERO
    return Decimal(str(value).replace(",", "").strip()).quantize(CENT, ROUND_HALF_UP)


def typed(value) -> Decimal:
    """An amount as the admin typed it: a number, or text such as `65,00`, `€65`, `€ 12,50` or
    `-10.00 EUR` (a comma before the last two digits is the decimal sign; no thousands here)."""
    if isinstance(value, str):
        text = value.replace("€", "").replace("EUR", "").replace(" ", "").strip()
        sign = -1 if text.startswith("-") else 1
        text = text.lstrip("-")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        return (sign * Decimal(text)).quantize(CENT, ROUND_HALF_UP)
    return dec(value)


def written(value: Decimal, style: str) -> str:
    """`value` as an admin types it as text: `comma` 65,00; `euro` €65 (€65.50); `euro_comma`
    € 65,50; `suffix` 65,50 €; `code` EUR 65.50; a refund with its minus sign in front."""
    sign, v = ("-" if value < 0 else ""), abs(value)
    plain = f"{v:.2f}"
    comma = plain.replace(".", ",")
    short = f"{v:.0f}" if v == v.to_integral_value() else plain
    return sign + {"comma": comma, "euro": f"€{short}", "euro_comma": f"€ {comma}", "suffix": f"{comma} €",
                   "code": f"EUR {plain}"}[style]


def day(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


@dataclass
class Doc:
    """An Invoices row: an invoice or a credit note."""

    no: str
    issued: date
    due: date | None
    client: str
    total: Decimal
    paid_cell: Decimal
    balance_cell: Decimal
    status: str
    cancels: str  # a credit note: the invoice it cancels
    row: int
    net: Decimal = ZERO
    tax: Decimal = ZERO

    @property
    def credit_note(self) -> bool:
        return self.total < 0 or self.no.startswith("CN-")


@dataclass
class Payment:
    pid: str
    day: date
    client: str  # the client's id, resolved
    amount: Decimal
    applied: list[tuple[str, Decimal]]  # Applied To entries, in order
    receipt: str
    row: int
    method: str = ""
    invoice_no: str = ""  # the row's Invoice No (a refund: the invoices of the payment it refunds, `INV-1, INV-2`)

    def allocations(self) -> list[tuple[str, Decimal]]:
        """The entries that name an invoice."""
        return [(ref, a) for ref, a in self.applied if ref not in ("Credit", "Refund")]

    def first_application(self) -> tuple[list[tuple[str, Decimal]], Decimal]:
        """What the payment paid when it was applied and what it kept as credit then:
        the leading entries of Applied To, up to its Amount (entries appended
        later record its credit paying newer invoices)."""
        out, left = [], ZERO
        spent = ZERO
        for ref, a in self.applied:
            if ref == "Refund" or spent + a > self.amount:
                break
            spent += a
            if ref == "Credit":
                left += a
            else:
                out.append((ref, a))
        return out, left


@dataclass
class Book:
    """The workbook's rows as the oracle reads them."""

    docs: dict[str, Doc]
    payments: list[Payment]
    clients: dict[str, dict]
    lines: dict[str, list[dict]] = field(default_factory=dict)
    sessions: dict[str, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    dashboard: dict[str, tuple] = field(default_factory=dict)  # Item -> (Value, Count)
    drafts: dict[str, dict] = field(default_factory=dict)  # review mode: key -> its Invoices row (not on the account)
    cash: list[dict] = field(default_factory=list)  # the Cash tab's rows
    # (date, amount, method) of payments paid at the desk that wait for their session's invoice
    waiting: list[tuple[date, Decimal, str]] = field(default_factory=list)

    # -- reading ----------------------------------------------------------
    @classmethod
    def read(cls, workbook: Path) -> Book:
        wb = openpyxl.load_workbook(workbook, read_only=True)

        def rows(tab):
            values = list(wb[tab].iter_rows(values_only=True))
            header = tuple(values[0])
            return [(i + 2, dict(zip(header, r))) for i, r in enumerate(values[1:])
                    if any(v is not None for v in r)]

        clients = {str(r["Client ID"]): r for _, r in rows("Clients") if r.get("Client ID")}
        names = {str(r["Name"]).strip(): cid for cid, r in clients.items()}
        docs, drafts = {}, {}
        for n, r in rows("Invoices"):
            if str(r.get("Invoice No") or "").startswith("DRAFT-"):
                drafts[str(r["Invoice No"])] = r
            if not r.get("Invoice No") or r.get("Status") == "Draft" or str(r["Invoice No"]).startswith("DRAFT-"):
                continue
            total = dec(r["Total"])
            docs[str(r["Invoice No"])] = Doc(
                str(r["Invoice No"]), day(r["Issue Date"]), day(r.get("Due Date")), str(r["Client ID"]),
                total, dec(r.get("Paid")), dec(r.get("Balance")), str(r.get("Status") or ""),
                str(r.get("Sessions") or "") if total < 0 or str(r["Invoice No"]).startswith("CN-") else "", n,
                dec(r.get("Net")), dec(r.get("Tax")))
        sessions = {str(r["Session ID"]): r for _, r in rows("Sessions") if r.get("Session ID")}
        payments = []
        problems = []
        waiting = []
        for n, r in rows("Payments"):
            if r.get("Problem"):
                problems.append(f"{r.get('Payment ID')}: {r['Problem']}")
                if "is not invoiced yet" in str(r["Problem"]):  # the money is received all the same
                    waiting.append((day(r["Date"]), typed(r["Amount"]), str(r.get("Method") or "")))
            if not r.get("Applied To"):
                continue
            applied = parse_applied(str(r["Applied To"]))
            ref = str(r.get("Client") or "").strip()
            cid = ref if ref in clients else names.get(ref)
            if cid is None:
                for inv, _ in applied:
                    if inv in docs:
                        cid = docs[inv].client
                        break
            if cid is None and r.get("Invoice No"):
                named = str(r["Invoice No"]).strip()
                if named in docs:
                    cid = docs[named].client
                elif named in sessions:
                    cid = str(sessions[named]["Client"])
            payments.append(Payment(str(r["Payment ID"]), day(r["Date"]), str(cid), typed(r["Amount"]),
                                    applied, str(r.get("Receipt No") or ""), n, str(r.get("Method") or ""),
                                    str(r.get("Invoice No") or "")))
        lines: dict[str, list[dict]] = {}
        for _, r in rows("Lines"):
            lines.setdefault(str(r["Invoice No"]), []).append(r)
        dashboard = {str(r["Item"]): (r.get("Value"), r.get("Count")) for _, r in rows("Dashboard") if r.get("Item")}
        cash = [r for _, r in rows("Cash") if r.get("Date")]
        return cls(docs, payments, clients, lines, sessions, problems, dashboard, drafts, cash, waiting)

    # -- the account ------------------------------------------------------
    def of(self, client: str) -> list[Doc]:
        return sorted((d for d in self.docs.values() if d.client == client),
                      key=lambda d: (d.issued, d.row))

    def cancelled_on(self, no: str) -> date | None:
        for d in self.docs.values():
            if d.credit_note and d.cancels == no:
                return d.issued
        return None

    def live(self, d: Doc, at: date) -> bool:
        """An invoice (not a credit note) issued by `at` and not cancelled by then."""
        if d.credit_note or d.issued is None or d.issued > at:
            return False
        cancelled = self.cancelled_on(d.no)
        return cancelled is None or cancelled > at

    def paid(self, no: str, at: date, upto=None) -> Decimal:
        """What payments dated on or before `at` (and, if given, `upto(p)`) applied to `no`."""
        return sum((a for p in self.payments if p.day <= at and (upto is None or upto(p))
                    for ref, a in p.allocations() if ref == no), ZERO)

    def payments_on(self, no: str, at: date) -> list[tuple[Payment, Decimal]]:
        return [(p, a) for p in self.payments if p.day <= at for ref, a in p.allocations() if ref == no]

    def open(self, d: Doc, at: date, upto=None) -> Decimal:
        return d.total - self.paid(d.no, at, upto) if self.live(d, at) else ZERO

    def open_total(self, client: str, at: date, issued_by: date | None = None) -> Decimal:
        """Open on the client's live invoices at `at` (issued on or before `issued_by`)."""
        return sum((self.open(d, at) for d in self.of(client)
                    if issued_by is None or d.issued <= issued_by), ZERO)

    def effects(self, p: Payment) -> list[tuple[str, Decimal, date]]:
        """Where a payment's money went and from when it counts. What it paid when it
        was applied counts from its own date (also on an invoice made later, as at the
        desk). Money it left as credit, or got back when an invoice it was on was
        voided (on the credit note's date), is free; an entry appended later spends
        free money, oldest first, and counts from the newest of that money's date and
        the invoice's issue date (Applied To does not say when an entry was added)."""
        made = p.first_application()[0]
        later = p.allocations()[len(made):]
        _, left = p.first_application()
        free: list[list] = [[p.day, left]] if left else []  # [available from, amount]
        out = []

        def freed(ref: str, a: Decimal) -> None:
            cancelled = self.cancelled_on(ref)
            if cancelled is not None:
                free.append([max(cancelled, p.day), a])
                free.sort(key=lambda chunk: chunk[0])

        for ref, a in made:
            out.append((ref, a, p.day))
            freed(ref, a)
        for ref, a in later:
            issued = self.docs[ref].issued if ref in self.docs else p.day
            when, need = max(p.day, issued), a
            while need > 0 and free:
                chunk = free[0]
                take = min(need, chunk[1])
                when = max(when, chunk[0])
                chunk[1] -= take
                need -= take
                if chunk[1] == 0:
                    free.pop(0)
            out.append((ref, a, when))
            freed(ref, a)
        return out

    def applied(self, client: str, at: date, upto=None) -> Decimal:
        """Money of payments dated by `at` put on invoices by `at` and not cancelled by then."""
        total = ZERO
        for p in self.payments:
            if p.client != client or p.day > at or (upto is not None and not upto(p)):
                continue
            for ref, a, when in self.effects(p):
                d = self.docs.get(ref)
                cancelled = self.cancelled_on(ref)
                if when <= at and d is not None and not d.credit_note and (cancelled is None or cancelled > at):
                    total += a
        return total

    def credit(self, client: str, at: date, upto=None) -> Decimal:
        """Money received by `at` and not on an invoice by then (a voided one gives it back); never
        below 0.00: a refund of money still on an invoice (made before that invoice's void) is owed
        back by the client until the void, not a credit below nothing (README, Statements)."""
        return max(ZERO, self.unspent(client, at, upto))

    def unspent(self, client: str, at: date, upto=None) -> Decimal:
        """Money received by `at` less what of it is on live invoices then: below 0.00 only between a
        refund made before a void and that void."""
        received = sum((p.amount for p in self.payments if p.client == client and p.day <= at
                        and (upto is None or upto(p))), ZERO)
        return received - self.applied(client, at, upto)

    def closing(self, client: str, at: date) -> Decimal:
        """Charged by `at` less what payments put on invoices by then: the balance
        before credit (net + credit)."""
        return self.net(client, at) + self.credit(client, at)

    def net(self, client: str, at: date) -> Decimal:
        """Everything charged by `at` less everything paid by `at`."""
        return (sum((d.total for d in self.of(client) if d.issued <= at), ZERO)
                - sum((p.amount for p in self.payments if p.client == client and p.day <= at), ZERO))


_ENTRY = re.compile(r"^\s*(.+?)\s+(-?[\d,]+(?:\.\d+)?)\s*$")


def parse_applied(text: str) -> list[tuple[str, Decimal]]:
    out = []
    for part in text.split(";"):
        if not part.strip():
            continue
        m = _ENTRY.match(part)
        assert m, f"Applied To entry not understood: {part!r}"
        out.append((m[1].strip(), dec(m[2])))
    return out


# -- pricing a session --------------------------------------------------------
# What a session costs, from README.md, DESIGN.md and the docstrings of the Discount
# cell and of pricing (nothing from sheetbill is run):
#
# - Services: LD60 at 65.00 (exempt, 0 %), the GEL extra at 6.90 (19 %), both net, and
#   the STOCK extra at 39.90 including 19 % (Services `Prices` = gross). A line's amount
#   is quantity x unit price, rounded half-up to the cent, in its price's basis.
# - Discount (Sessions and Clients): the session's own Discount wins over the
#   client's, which applies where the session's cell is empty; `0` means none. The
#   cell's number format tells a percentage from an amount: text `10%` and a number
#   shown as a percentage (0.125 under `0%`: the number held, 12.5 %, whatever the
#   cell shows) are percentages; a plain number is an amount, however small (0.5 is
#   0.50 off). A percentage takes that share of each line, rounded half-up to the
#   cent; an amount is shared among the session's lines (the service, then the extras)
#   in proportion to their amounts, in whole cents adding up to it: each line gets the
#   cents of its exact share, and the cents left go one each to the lines whose exact
#   share lost most, the first on a tie (README). Quantity x unit price - discount is
#   the line's amount (in its price's basis: a net price's is its net).
# - Where the docs are silent, as an accountant would have it: a discount larger than
#   the session's price would make it negative, so the session is not billed (its
#   Problem says why); a discount as large as the price, or 100 %, bills 0.00.
# - An invoice: its lines' nets; the tax once per rate on the sum of that rate's nets,
#   rounded half-up; total = net + tax. A credit note is its invoice, negated.
# - Gross prices (README, "Rounding"): per rate, the gross lines' amounts G keep their
#   sum: their VAT is round(G x rate / (100 + rate)), or that moved by a cent (+1, -1,
#   +2, -2 cents, in that order) where round((G - VAT) x rate) then gives it back; their
#   net is G - VAT, each gross line's net its amount less its share of that VAT (largest
#   remainder, in proportion to amount x rate / (100 + rate)). Where the rate also has
#   net lines, the rate's tax is round(its whole net x rate) and the net lines share
#   what the gross lines' VAT leaves of it.
# - A client under reverse charge (Clients `VAT Category` AE, a valid EU VAT ID in Tax ID;
#   core/vat.py's docstring, README "VAT"): its taxed services (GEL, STOCK) are category AE at
#   0 %, its exempt one (LD60) stays E; a gross price (STOCK) is billed at its net price,
#   round(39.90 x 100 / 119) = 33.53 a pair, as a net line. Taxes are per category and rate.

SERVICES = {"LD60": (Decimal("65.00"), Decimal(0)), "GEL": (Decimal("6.90"), Decimal(19)),
            "STOCK": (Decimal("39.90"), Decimal(19))}
GROSS = {"STOCK"}  # priced with the VAT in it
EXEMPT = {"LD60"}  # 0 %: category E (the config's vat.zero_rate), whoever buys it
HUNDRED = Decimal(100)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Discount:
    """A Discount cell as the admin types it. `form`: "text" (`12.5%`), "percent" (the
    number 0.125 under the number format `fmt`, e.g. `0%`) or "amount" (a plain number,
    that much off); `value`: the percentage (text, percent) or the amount."""

    form: str
    value: Decimal
    fmt: str = "General"  # percent: the number format; amount: "General" (a number) or a style of written()

    def __repr__(self) -> str:
        tail = f", {self.fmt!r}" if self.fmt != "General" else ""
        return f"Discount({self.form!r}, Decimal('{self.value}'){tail})"

    @property
    def percent(self) -> Decimal | None:
        return self.value if self.form in ("text", "percent") else None

    def cell(self) -> tuple[object, str]:
        """The value written to the cell and its number format."""
        if self.form == "text":
            return f"{self.value}%", "General"
        if self.form == "percent":
            return float(self.value / HUNDRED), self.fmt
        if self.fmt != "General":  # an amount typed as text: 5,00 or €5
            return written(self.value, self.fmt), "General"
        return (int(self.value) if self.value == self.value.to_integral_value() else float(self.value)), "General"


@dataclass(frozen=True)
class Priced:
    """One line of an invoice as the oracle prices it: `amount` is quantity x unit price -
    discount, in the price's basis (gross for a gross price)."""

    session: str
    code: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    amount: Decimal
    rate: Decimal
    gross: bool = False
    category: str = "S"  # S taxed, E exempt, AE reverse charge


@dataclass(frozen=True)
class Expected:
    """A line of an invoice or credit note as its documents show it."""

    session: str
    code: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    amount: Decimal  # in the price's basis
    net: Decimal
    tax: Decimal
    rate: Decimal
    category: str = "S"


class Refused(Exception):
    """A session that cannot be billed as it stands: args[0] says why, args[1] names the Discount as
    its Problem must (`Discount 150%`, `Discount 250`)."""

    def __str__(self) -> str:
        return str(self.args[0])


def price_session(sid: str, quantity: int, gel: int, discount: Discount | None, stock: int = 0,
                  reverse_charge: bool = False) -> list[Priced]:
    """The session's lines (the service, then the GEL and STOCK extras if any), or Refused."""
    items = [("LD60", Decimal(quantity))] + ([("GEL", Decimal(gel))] if gel else []) + \
        ([("STOCK", Decimal(stock))] if stock else [])

    def unit(code: str) -> Decimal:
        price, rate = SERVICES[code]
        if reverse_charge and code in GROSS:  # sold without its VAT: the net price
            return cents(price * HUNDRED / (HUNDRED + rate))
        return price

    def category(code: str) -> str:
        return "E" if code in EXEMPT else "AE" if reverse_charge else "S"

    grosses = [cents(q * unit(code)) for code, q in items]
    if discount is None:
        cuts = [ZERO] * len(grosses)
    elif discount.percent is not None:
        if not 0 <= discount.percent <= HUNDRED:
            raise Refused(f"Discount {discount.percent}% is not a percentage of the price",
                          f"Discount {discount.percent.normalize():f}%")
        cuts = [cents(g * discount.percent / HUNDRED) for g in grosses]
    else:
        left = cents(discount.value)
        if left > sum(grosses, ZERO):
            raise Refused(f"Discount {discount.value} is more than the session's {sum(grosses, ZERO)}",
                          f"Discount {discount.value.normalize():f}")
        cuts = _split(left, [left * g / sum(grosses, ZERO) for g in grosses])
    return [Priced(sid, code, q, unit(code), cut, g - cut, ZERO if category(code) == "AE" else SERVICES[code][1],
                   code in GROSS and not reverse_charge, category(code))
            for (code, q), g, cut in zip(items, grosses, cuts)]


def _split(total: Decimal, exact: list[Decimal]) -> list[Decimal]:
    """`total` in cents over the lines: each the cents of its exact share (toward zero), and
    the cents that leaves one each to the lines whose share lost most (the first on a tie),
    round again while any are left."""
    parts = [e.quantize(CENT, ROUND_DOWN) for e in exact]
    order = sorted(range(len(parts)), key=lambda k: (parts[k] - exact[k], k))
    left = total - sum(parts, ZERO)
    step = CENT if left > 0 else -CENT
    for n in range(int(abs(left) / CENT)):
        parts[order[n % len(order)]] += step
    return parts


def gross_vat(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT in `gross` (README: moved by a cent where round(net x rate) then gives it back)."""
    first = cents(gross * rate / (HUNDRED + rate))
    for step in (0, 1, -1, 2, -2):
        vat = first + step * CENT
        if cents((gross - vat) * rate / HUNDRED) == vat:
            return vat
    return first


@dataclass(frozen=True)
class Figures:
    """An invoice's lines and totals (`sign` -1: its credit note)."""

    lines: tuple[Priced, ...]
    sign: int = 1

    @cached_property
    def _taxed(self) -> tuple[list[tuple[Decimal, Decimal]], dict[tuple[str, Decimal], tuple[Decimal, Decimal]]]:
        """Each line's (net, tax) and each (category, rate)'s (net, tax), for the invoice (sign +1)."""
        per_line = [(l.amount, ZERO) for l in self.lines]
        rates = {}
        for category, rate in sorted({(l.category, l.rate) for l in self.lines}):
            at = [k for k, l in enumerate(self.lines) if (l.category, l.rate) == (category, rate)]
            grossed = [k for k in at if self.lines[k].gross]
            netted = [k for k in at if not self.lines[k].gross]
            g = sum((self.lines[k].amount for k in grossed), ZERO)
            vat = gross_vat(g, rate) if grossed else ZERO
            net = sum((self.lines[k].amount for k in netted), ZERO) + g - vat
            tax = cents(net * rate / HUNDRED) if netted else vat
            for k, share in zip(grossed, _split(vat, [self.lines[k].amount * rate / (HUNDRED + rate)
                                                      for k in grossed])):
                per_line[k] = (self.lines[k].amount - share, share)
            for k, share in zip(netted, _split(tax - vat, [self.lines[k].amount * rate / HUNDRED for k in netted])):
                per_line[k] = (self.lines[k].amount, share)
            rates[(category, rate)] = (net, tax)
        return per_line, rates

    @property
    def expected(self) -> tuple[Expected, ...]:
        s = self.sign
        return tuple(Expected(l.session, l.code, s * l.quantity, l.unit_price, s * l.discount, s * l.amount,
                              s * net, s * tax, l.rate, l.category)
                     for l, (net, tax) in zip(self.lines, self._taxed[0]))

    @property
    def net(self) -> Decimal:
        return self.sign * sum((net for net, _ in self._taxed[1].values()), ZERO)

    @property
    def taxes(self) -> dict[tuple[str, Decimal], tuple[Decimal, Decimal]]:
        """(Category, rate) -> (its lines' net, the tax on it)."""
        return {key: (self.sign * net, self.sign * tax) for key, (net, tax) in self._taxed[1].items()}

    @property
    def tax(self) -> Decimal:
        return sum((t for _, t in self.taxes.values()), ZERO)

    @property
    def total(self) -> Decimal:
        return self.net + self.tax

    def negated(self) -> Figures:
        return Figures(self.lines, -self.sign)
