"""Renderers that keep every document's template context.

`Recording(inner, sink)` wraps a renderer of the worker (invoices, receipts,
statements): it stores the context the document type makes of each document
and returns either the real PDF (`real=True`) or a few bytes that name the
recorded document, so that an email's attachment leads back to it."""

from __future__ import annotations

from sheetbill.render.pool import one_by_one

import json
from dataclasses import dataclass


@dataclass
class Rendered:
    kind: str  # "invoice", "receipt", "statement"
    context: dict
    pdf: bytes


class Recording:
    def __init__(self, inner, sink: list[Rendered], real: bool = False) -> None:
        self.inner, self.sink, self.real = inner, sink, real
        self.kind = inner.kind

    def render(self, doc) -> bytes:
        doctype = self.inner.doctype
        context = json.loads(json.dumps(dict(doctype.context(doc)), default=str))
        if self.real:
            pdf = self.inner.render(doc)
        else:
            pdf = (b"%PDF-1.4\n%oracle " + doctype.name.encode() + b" "
                   + str(len(self.sink)).encode() + b"\n%%EOF\n")
        self.sink.append(Rendered(doctype.name, context, pdf))
        return pdf

    def check(self) -> None:
        self.inner.check()

    def made_of(self) -> str:
        return ""  # every document rendered, so that every one is recorded


def recording_worker(practice, clock, sink: list[Rendered], real: bool = False, card=None):
    """The real worker of `practice` (app.worker_for) with its three renderers recorded;
    `real`: invoices and credit notes get their real PDF (the others a few bytes); `card`:
    its card payments (payments/card_cycle.py CardPayments, on the fake Stripe)."""
    worker = practice.worker(clock)
    if card is not None:
        worker.card = card
    delivery = worker.delivery
    delivery.renderer = Recording(delivery.renderer, sink, real)
    delivery.receipts = Recording(delivery.receipts, sink)
    delivery.statements = Recording(delivery.statements, sink)
    # invoices are rendered in a batch (a process pool when there are many): one by one through the recording
    delivery.render_all = lambda docs: one_by_one(delivery.renderer.render, docs)
    return worker
