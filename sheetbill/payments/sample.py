"""A CAMT.053 statement for the demo practice: what its bank would send the
day after the invoices went out. One credit quotes an invoice's RF reference,
one pays part of an invoice and names its number, one pays an invoice in full
with no reference (matched by amount and name), one is a stranger's, and one
is the bank's fee."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from ..core.model import Client, Invoice
from .open_amount import open_amount
from .reference import creditor_reference

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
 <BkToCstmrStmt>
  <GrpHdr><MsgId>DEMO-{day}</MsgId><CreDtTm>{day}T06:00:00+01:00</CreDtTm></GrpHdr>
  <Stmt>
   <Id>DEMO-{day}-1</Id><CreDtTm>{day}T06:00:00+01:00</CreDtTm>
   <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
"""
_ENTRY = """   <Ntry>
    <Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{side}</CdtDbtInd><Sts>BOOK</Sts>
    <BookgDt><Dt>{day}</Dt></BookgDt><ValDt><Dt>{day}</Dt></ValDt>
    <AcctSvcrRef>{ref}</AcctSvcrRef>
    <NtryDtls><TxDtls>
     <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
     <AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>
     <RltdPties><{party}><Nm>{name}</Nm></{party}></RltdPties>
     <RmtInf>{remittance}</RmtInf>
    </TxDtls></NtryDtls>
   </Ntry>
"""


def demo_statement(invoices: Sequence[Invoice], clients: Sequence[Client], iban: str, day: date) -> bytes:
    names = {c.client_id: c.name for c in clients}
    open_ = [i for i in invoices if open_amount(i) > 0 and creditor_reference(i.invoice_no)]
    by_client: dict[str, list[Invoice]] = {}
    for inv in open_:
        by_client.setdefault(inv.client_id, []).append(inv)
    picked: list[Invoice] = []
    for inv in open_:  # three invoices of three clients
        if inv.client_id not in {p.client_id for p in picked}:
            amounts = [open_amount(i) for i in by_client[inv.client_id]]
            if len(picked) < 2 or amounts.count(open_amount(inv)) == 1:
                picked.append(inv)
        if len(picked) == 3:
            break
    entries = []
    if picked:
        inv = picked[0]
        entries.append((open_amount(inv), "CRDT", names.get(inv.client_id, ""),
                        f"<Strd><CdtrRefInf><Ref>{creditor_reference(inv.invoice_no)}</Ref></CdtrRefInf></Strd>"))
    if len(picked) > 1:
        inv = picked[1]
        part = (open_amount(inv) / 2).quantize(Decimal(1))
        entries.append((part, "CRDT", names.get(inv.client_id, ""),
                        f"<Ustrd>Teilzahlung Rechnung {inv.invoice_no.replace('-', ' ')}</Ustrd>"))
    if len(picked) > 2:
        inv = picked[2]
        first, _, last = names.get(inv.client_id, "").rpartition(" ")
        entries.append((open_amount(inv), "CRDT", f"{last.upper()}, {first}", "<Ustrd>Behandlung</Ustrd>"))
    entries.append((Decimal("80.00"), "CRDT", "Unbekannt GmbH", "<Ustrd>Spende Praxisfest</Ustrd>"))
    entries.append((Decimal("9.90"), "DBIT", "", "<Ustrd>Kontofuehrung</Ustrd>"))
    text = _HEAD.format(day=day.isoformat(), iban=escape(iban))
    for n, (amount, side, name, remittance) in enumerate(entries, start=1):
        text += _ENTRY.format(amount=f"{amount:.2f}", side=side, day=day.isoformat(), ref=f"{day:%Y%m%d}{n:05d}",
                              party="Dbtr" if side == "CRDT" else "Cdtr", name=escape(name) or "Bank",
                              remittance=remittance)
    return (text + "  </Stmt>\n </BkToCstmrStmt>\n</Document>\n").encode()
