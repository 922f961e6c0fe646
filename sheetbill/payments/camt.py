"""CAMT.053 (ISO 20022 bank-to-customer statement), versions .001.02 to .001.08.

Read with lxml, namespaces by their local names so every version reads the
same way. One `BankEntry` per transaction: a batch entry (several TxDtls)
gives one per transaction with its own amount; booked entries only (Sts
BOOK); reversals (RvslInd true) are left out. Amounts are the transaction
amount the payer sent, before any charges the bank took.

An entry's identity is the bank's reference (AcctSvcrRef, of the transaction
or else of the entry). NtryRef alone is not one: banks that give no
AcctSvcrRef often number the entries of each statement 1, 2, ..., so entry 1
of the next statement is another payment. Such an entry is known by its
number, booking day and amount (`1/2026-12-01/52.00`); the same statement
exported again, or a later one repeating it, gives the same. Earlier versions
knew it by the number alone (`old_ref`), which the import still recognises
when a Bank row's day and amount are the entry's.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree

from .entries import BankEntry, StatementError

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.0[2-8]$")
_AMOUNT = re.compile(r"\+?[0-9]+(\.[0-9]+)?")


def parse_camt(data: bytes, name: str) -> list[BankEntry]:
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise StatementError(f"{name}: not well-formed XML: {exc}") from None
    namespace = etree.QName(root).namespace or ""
    if not _NAMESPACE.match(namespace):
        raise StatementError(f"{name}: not a CAMT.053 statement (namespace '{namespace}'; "
                             f"camt.053.001.02 to .08 are read)")
    out: list[BankEntry] = []
    for n, entry in enumerate(root.iterfind(".//{*}Stmt/{*}Ntry"), start=1):
        try:
            out.extend(_entry(entry))
        except ValueError as exc:
            ref = _text(entry, "{*}AcctSvcrRef") or _text(entry, "{*}NtryRef")
            raise StatementError(f"{name}: entry {n}{f' ({ref})' if ref else ''}: {exc}") from None
    return out


def _entry(ntry) -> list[BankEntry]:
    status = _text(ntry, "{*}Sts/{*}Cd") or _text(ntry, "{*}Sts")
    if status and status != "BOOK":
        return []
    if _text(ntry, "{*}RvslInd").lower() == "true":
        return []
    sign = _sign(ntry)
    day = _date(ntry, "{*}BookgDt", "booking date") or _date(ntry, "{*}ValDt", "value date")
    if day is None:
        raise ValueError("no booking date")
    entry_amount = _amount(ntry.find("{*}Amt"))
    currency = ntry.find("{*}Amt").get("Ccy", "")
    entry_ref, old_ref = _text(ntry, "{*}AcctSvcrRef"), ""
    number = _text(ntry, "{*}NtryRef")
    if not entry_ref and number:
        entry_ref, old_ref = f"{number}/{day.isoformat()}/{_plain(sign * entry_amount)}", number
    entry_info = _text(ntry, "{*}AddtlNtryInf")
    details = ntry.findall("{*}NtryDtls/{*}TxDtls")
    if not details:
        return [BankEntry(day, sign * entry_amount, currency, "", entry_info, entry_ref, old_ref=old_ref)]
    out = []
    for i, tx in enumerate(details, start=1):
        amount_node = tx.find("{*}AmtDtls/{*}TxAmt/{*}Amt")
        if amount_node is None:
            amount_node = tx.find("{*}Amt")  # .04 and later
        try:
            if amount_node is None and len(details) > 1:
                raise ValueError("no amount")
            amount = _amount(amount_node) if amount_node is not None else entry_amount
            tx_sign = _sign(tx) if tx.find("{*}CdtDbtInd") is not None else sign
        except ValueError as exc:
            raise ValueError(f"transaction {i}: {exc}" if len(details) > 1 else str(exc)) from None
        party = "Dbtr" if tx_sign > 0 else "Cdtr"
        counterparty = (_text(tx, f"{{*}}RltdPties/{{*}}{party}/{{*}}Nm")  # .02 to .07
                        or _text(tx, f"{{*}}RltdPties/{{*}}{party}/{{*}}Pty/{{*}}Nm")  # .08
                        or _text(tx, f"{{*}}RltdPties/{{*}}Ultmt{party}/{{*}}Nm"))
        text = " ".join(t for t in (
            " ".join(_all(tx, "{*}RmtInf/{*}Ustrd")),
            _text(tx, "{*}AddtlTxInf"),
            entry_info if len(details) == 1 else "") if t)
        structured = " ".join(_all(tx, "{*}RmtInf/{*}Strd/{*}CdtrRefInf/{*}Ref"))
        ref, old = _text(tx, "{*}Refs/{*}AcctSvcrRef"), ""
        if not ref:
            ref, old = (f"{entry_ref}/{i}", f"{old_ref}/{i}" if old_ref else "") if len(details) > 1 and entry_ref \
                else (entry_ref, old_ref)
        tx_currency = amount_node.get("Ccy", currency) if amount_node is not None else currency
        out.append(BankEntry(day, tx_sign * amount, tx_currency, counterparty, text, ref, structured, old_ref=old))
    return out


def _sign(node) -> int:
    indicator = _text(node, "{*}CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise ValueError(f"credit/debit indicator '{indicator}' is neither CRDT nor DBIT")
    return 1 if indicator == "CRDT" else -1


def _amount(node) -> Decimal:
    """An amount as ISO 20022 writes it: digits and a decimal point, the sign in CdtDbtInd."""
    said = (node.text or "").strip() if node is not None else ""
    if not said:
        raise ValueError("no amount")
    if not _AMOUNT.fullmatch(said):
        if said.startswith("-") and _AMOUNT.fullmatch(said[1:]):
            raise ValueError(f"amount '{said}' has a sign; CAMT writes it without one (CdtDbtInd says credit "
                             f"or debit)")
        like = said.replace(",", ".") if _AMOUNT.fullmatch(said.replace(",", ".")) else "65.00"
        raise ValueError(f"amount '{said}' is not a number like {like}")
    return Decimal(said)


def _plain(amount: Decimal) -> str:
    """52.00 however the file writes it (52, 52.0), more places only when it has them."""
    cents = amount.quantize(Decimal("0.01"))
    return f"{cents:.2f}" if cents == amount else str(amount)


def _date(node, path: str, what: str) -> date | None:
    found = _text(node, f"{path}/{{*}}Dt") or _text(node, f"{path}/{{*}}DtTm")[:10]
    if not found:
        return None
    try:
        return date.fromisoformat(found[:10])
    except ValueError:
        raise ValueError(f"{what} '{found}' is not a date like 2026-11-21") from None


def _text(node, path: str) -> str:
    found = node.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _all(node, path: str) -> list[str]:
    return [" ".join((f.text or "").split()) for f in node.findall(path) if (f.text or "").strip()]
