"""What the worker does for superbills: the coding problems of a cycle, the
monthly superbills (each client and month once, like statements), and the
`sheetbill superbill` command's document.

A superbill's email is sent exactly once through `deliver.exactly_once.send_all`,
its state kept in _sheetbill as `superbill/<client>/<from>..<to>` (a time once
sent, `<time> sending <id>` while marked; see core/marks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..book import insurance as insurance_book
from ..book.table import Table
from ..core.coding import coding_problems, with_problems
from ..core.cycle import CyclePlan
from ..core.insurance import InsuredClient
from ..core.model import Client, InvoiceStatus, Ledger
from ..core.session_paid import paid_per_session
from ..core.superbill import SuperbillDocument, insurance_gaps, superbill_for, unpayable
from ..core.marks import period, state_is_sending, superbill_key
from ..deliver.exactly_once import Outgoing
from ..deliver.outgoing import client_document_item
from ..render.store import StoredPdf
from .codes import CODE_LISTS
from .settings import InsuranceSettings


@dataclass
class Superbills:
    settings: InsuranceSettings
    renderer: Any  # an HtmlRenderer of templates/superbill.html (None: no PDFs, problems only)
    day_first: bool = True
    claim_template: Path | None = None  # templates/cms1500.html and its coordinates map (cms1500.yaml)
    claim_map: Path | None = None

    def __post_init__(self) -> None:
        self.codes = CODE_LISTS[self.settings.code_list]()

    # -- the cycle's plan -------------------------------------------------
    def check(self, tables: dict[str, Table], cycle: CyclePlan, credit_note) -> CyclePlan:
        """`cycle` with a Problem on each billed session of a Superbill = Yes client whose
        diagnosis, place of service or provider will not do (the invoice is made all the same).
        `credit_note(number)`: whether an invoice number is a credit note's."""
        read = insurance_book.read(tables, self.day_first)
        if not any(c.superbill for c in read.coding.clients.values()):
            return cycle
        client_of = {sid: i.client_id for i in cycle.invoices
                     if i.live and i.status is not InvoiceStatus.DRAFT and not credit_note(i.invoice_no) for sid in i.session_ids}
        found = coding_problems(cycle.sessions, client_of, client_of, read.coding.clients, read.coding.sessions,
                                self.settings.providers, self.codes, read.errors)
        return with_problems(cycle, found)

    # -- documents --------------------------------------------------------
    def document(self, ctx, tables: dict[str, Table], ledger: Ledger, client: Client, date_from: date,
                 date_to: date) -> SuperbillDocument:
        read = insurance_book.read(tables, self.day_first)
        insured = read.coding.clients.get(client.client_id) or InsuredClient(client.client_id, False)
        superbill = superbill_for(client, ledger, read.coding, paid_per_session(ledger.invoices, ledger.payments,
                                                                                ctx.today),
                                  self.settings.providers, date_from, date_to, ctx.today,
                                  self.settings.place_of_service, self.codes.describe)
        return SuperbillDocument(ctx.config.practice, self.settings.ids, client, insured, superbill)

    def claim_form(self, ctx, doc: SuperbillDocument) -> StoredPdf:
        """The CMS-1500 (02/12) data-only PDF of `doc`, stored beside the superbill.
        Raises RenderError (a broken map or template) or OSError."""
        from ..render.html import HtmlRenderer
        from .cms1500 import cms1500_type, load_map

        from .cms1500 import claim_lines

        if self.claim_template is None or self.claim_map is None:
            raise ValueError("no CMS-1500 template")
        if not claim_lines(doc.superbill.lines)[0]:
            raise ValueError("no line has both a diagnosis and a procedure code")
        renderer = HtmlRenderer(self.claim_template, cms1500_type(load_map(self.claim_map)))
        s = doc.superbill
        name = f"CMS-1500 {doc.client.client_id} {s.date_from.isoformat()}..{s.date_to.isoformat()}"
        return ctx.pdfs.save(name, renderer.render(doc))

    def item(self, ctx, doc: SuperbillDocument, state: dict, errors: list[str],
             resend: bool = False) -> tuple[StoredPdf | None, Outgoing | None]:
        """The PDF (stored) and the email, unless sent before or the client has no Email."""
        from ..deliver.superbill import superbill_message, superbill_message_id

        s, client = doc.superbill, doc.client
        return client_document_item(
            ctx, "Superbill", doc, client, s.date_from, s.date_to, self.renderer.render,
            superbill_key(client.client_id, s.date_from, s.date_to), state, superbill_message,
            lambda sender: superbill_message_id(client.client_id, period(s.date_from, s.date_to), sender), errors)

    def monthly(self, ctx, tables: dict[str, Table], ledger: Ledger, state: dict, errors: list[str],
                lookup: bool, flags: list[str] | None = None) -> list[Outgoing]:
        """Last month's superbill to each client with Superbill = Yes and billed sessions in it, once
        (none when the config's `insurance.monthly` is false). Each of its lines an insurer will not
        accept (no diagnosis, no procedure code) goes into `flags`, for the admin, when it is made."""
        if not self.settings.monthly:
            return []
        end = ctx.today.replace(day=1) - timedelta(days=1)
        start = end.replace(day=1)
        insured = insurance_book.read(tables, self.day_first).coding.clients
        items = []
        for client in ledger.clients:
            who = insured.get(client.client_id)
            if who is None or not who.superbill or not client.email:
                continue
            was = state.get(superbill_key(client.client_id, start, end), "")
            if was and not state_is_sending(was):
                continue  # sent before: not even rendered again
            if was and not lookup:
                continue  # a person decides (see core.delivery.unknown_outcomes)
            try:
                doc = self.document(ctx, tables, ledger, client, start, end)
            except ValueError as exc:
                errors.append(f"Superbill of {client.client_id}: {exc}")
                continue
            if not doc.superbill.lines:
                continue
            _, item = self.item(ctx, doc, state, errors)
            if item is not None:
                items.append(item)
                if flags is not None:
                    flags += [f"superbill of {client.client_id} for {period(start, end)}: {gap}"
                              for gap in (insurance_gaps(client, doc.insured), *map(unpayable, doc.superbill.lines))
                              if gap]
        return items
