"""The PDFs of a cycle's pending invoices, rendered in order (in a pool when there are
many), kept in the PDF store, and the emails that carry them."""

from __future__ import annotations

from contextlib import closing
from functools import partial
from typing import Callable, Generator, Mapping

from .. import progress
from ..core.delivery import Pending
from ..core.model import Client, Session
from ..core.plan import CellWrite
from ..cycle_report import CycleReport
from ..render.errors import RenderError
from .exactly_once import Outgoing
from .outgoing import Context, invoice_item
from .pdfs_made import PdfsMade

RenderAll = Callable[[list], Generator[bytes | Exception, None, None]]


def invoice_pdfs(ctx: Context, todo: list[Pending], clients: Mapping[str, Client], render_all: RenderAll,
                 message: Callable | None, sessions: dict[str, Session],
                 report: CycleReport, made: PdfsMade) -> tuple[list[CellWrite], list[Outgoing]]:
    """PDFs for every pending invoice: the PDF column writes and the emails to send. A PDF kept
    of the same document (`made`: a run that stopped) is used again; a PDF that cannot be made
    stops the loop (what is done is kept); an email that cannot be made waits."""
    docs = {id(item): ctx.invoice_document(item.invoice, clients[item.invoice.client_id])
            for item in todo if item.invoice.client_id in clients}
    keys = {i: made.key(doc) for i, doc in docs.items()}
    again: dict[int, bytes] = {}  # the PDFs a run that stopped made of the same documents
    for item in todo:
        if id(item) in docs and (before := made.kept(item.invoice.invoice_no, keys[id(item)],
                                                     partial(_kept, ctx, item))) is not None:
            again[id(item)] = before
    links: list[CellWrite] = []
    items: list[Outgoing] = []
    with closing(render_all([doc for i, doc in docs.items() if i not in again])) as rendered:
        for item in progress.steps(todo, "PDFs"):
            inv = item.invoice
            assert inv.row is not None  # committed: every invoice has its row
            if inv.client_id not in clients:
                report.errors.append(f"{inv.invoice_no}: client {inv.client_id} is no longer in Clients; "
                                     "no PDF or email")
                continue
            doc = docs[id(item)]
            try:
                made_before = again.get(id(item))
                pdf = made_before if made_before is not None else next(rendered)
                if isinstance(pdf, Exception):
                    raise pdf
                stored = ctx.pdfs.save(inv.invoice_no, pdf)
                made.add(inv.invoice_no, keys[id(item)], pdf)
            except Exception as exc:  # RenderError, a folder that cannot be written: stop, keep what is done
                report.errors.append(f"{inv.invoice_no}: PDF not made: {exc}")
                break
            if stored.link != inv.pdf:
                links.append(CellWrite("invoices", inv.row, inv.invoice_no, "pdf", inv.pdf, stored.link))
                report.pdfs.append(inv.invoice_no)
            if item.needs_email:
                try:
                    items.append(invoice_item(ctx, item, doc, pdf, stored, message, sessions))
                except Exception as exc:  # an unusable address: this invoice waits, the others go
                    report.errors.append(f"{inv.invoice_no}: email not made: {exc}")
    made.save()
    return links, items


def _kept(ctx: Context, item: Pending) -> bytes | None:
    """The PDF kept under the invoice's name, None where there is none or it cannot be read."""
    link = ctx.pdfs.link(item.invoice.invoice_no)
    if link is None:
        return None
    try:
        return ctx.pdfs.read(link)
    except RenderError:
        return None
