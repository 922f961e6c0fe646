"""PDFs from a Google Docs template.

The template is an ordinary document with `{{placeholders}}`: every value
of the invoice context (`render.context`), nested names with a dot
(`{{number}}`, `{{client.name}}`, `{{practice.address}}`, `{{total}}`), and
a table row holding `{{line.description}}`, `{{line.quantity}}`,
`{{line.amount}}`... which is repeated once per invoice line (a row with
`{{tax.rate}}`, `{{tax.net}}`, `{{tax.tax}}` once per tax rate; `{{tax.label}}` names a
category without a rate, e.g. "VAT exempt"). `{{vat_note}}` holds the required VAT notes.
`{{line.amount}}` is in the unit price's basis (the net, or the gross of a gross-priced
line, marked by `{{line.amount_note}}` where the invoice mixes both) and
`{{unit_price_label}}`, `{{amount_label}}` head those columns ("Net", or "Amount incl. VAT").

Each render copies the template (into the PDF folder, as a draft), adds the
table rows, puts every value in by position (so a client's text that looks
like a placeholder stays as it is), exports the copy as PDF and deletes it. A
copy whose answer was lost (it may have been made) is looked up by its name and
deleted too, so drafts do not gather in the PDF folder.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator, Mapping

from ..google.errors import explain
from ..google.http import Google
from ..google.retry import ApiFailure
from ..core.document import InvoiceDocument
from .context import invoice_context
from .errors import RenderError

PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")
REPEATED = {"line": "lines", "tax": "taxes"}  # row prefix -> context list


class GoogleDocsRenderer:
    kind = "gdocs"

    def __init__(self, google: Google, template_id: str, folder_id: str = "") -> None:
        self.google, self.template_id, self.folder_id = google, template_id, folder_id

    def render(self, doc: InvoiceDocument) -> bytes:
        context = invoice_context(doc)
        drive, docs = self.google.service("drive"), self.google.service("docs")
        body: dict[str, Any] = {"name": f"sheetbill draft {context['number']}", "appProperties": {"sheetbill": "draft"}}
        if self.folder_id:
            body["parents"] = [self.folder_id]
        try:
            copy = self.google.execute(lambda: drive.files().copy(fileId=self.template_id, body=body, fields="id"),
                                       idempotent=False)
        except ApiFailure as failure:
            if failure.transient and not failure.refused:  # it may have been made: not left in the folder
                self._remove_drafts(drive, body["name"])
            raise RenderError(explain(failure, f"copying the Docs template {self.template_id}")) from None
        try:
            self._fill(docs, copy["id"], context)
            return self.google.execute(lambda: drive.files().export(fileId=copy["id"], mimeType="application/pdf"))
        except ApiFailure as failure:
            raise RenderError(explain(failure, f"filling the Docs template for {context['number']}")) from None
        finally:
            try:
                self.google.execute(lambda: drive.files().delete(fileId=copy["id"]))
            except ApiFailure:
                pass  # a draft left in the folder; harmless

    def _remove_drafts(self, drive: Any, name: str) -> None:
        """Delete the draft copies named `name` that a copy without a clear answer may have made."""
        escaped = name.replace("\\", "\\\\").replace("'", "\\'")
        query = f"name = '{escaped}' and appProperties has {{ key='sheetbill' and value='draft' }} and trashed = false"
        if self.folder_id:
            query += f" and '{self.folder_id}' in parents"
        try:
            found = self.google.execute(lambda: drive.files().list(q=query, fields="files(id)", spaces="drive"))
            for file_id in [f["id"] for f in found.get("files") or ()]:
                self._delete(drive, file_id)
        except ApiFailure:
            pass  # Google still does not answer: the draft may stay in the folder

    def _delete(self, drive: Any, file_id: str) -> None:
        self.google.execute(lambda: drive.files().delete(fileId=file_id))

    def made_of(self) -> str:
        """"": the Docs template may change in Drive at any time, so every PDF is made anew."""
        return ""

    def check(self) -> None:
        """Raise RenderError when the template cannot be read."""
        docs = self.google.service("docs")
        try:
            self.google.execute(lambda: docs.documents().get(documentId=self.template_id, fields="title"))
        except ApiFailure as failure:
            raise RenderError(explain(failure, f"the Docs template {self.template_id}")) from None

    def _fill(self, docs: Any, document_id: str, context: Mapping[str, Any]) -> None:
        rows = _repeated_rows(self._get(docs, document_id))
        inserts = [{"insertTableRow": {"tableCellLocation": {
            "tableStartLocation": {"index": table}, "rowIndex": row}, "insertBelow": True}}
            for table, row, prefix, _ in sorted(rows, reverse=True) for _ in context[REPEATED[prefix]]]
        if inserts:
            self._update(docs, document_id, inserts)
        document = self._get(docs, document_id)
        edits = list(_value_edits(document, _flat(context)))
        for table, row, prefix, _ in _repeated_rows(document):
            edits += _row_edits(document, table, row, context[REPEATED[prefix]], prefix)
        requests = [r for _, _, r in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True)]
        if requests:
            self._update(docs, document_id, requests)

    def _get(self, docs: Any, document_id: str) -> dict[str, Any]:
        return self.google.execute(lambda: docs.documents().get(documentId=document_id))

    def _update(self, docs: Any, document_id: str, requests: list[dict[str, Any]]) -> None:
        self.google.execute(lambda: docs.documents().batchUpdate(documentId=document_id, body={"requests": requests}),
                            idempotent=False)


def _flat(context: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """`{"client": {"name": "A"}}` -> `{"client.name": "A"}` (lists left out)."""
    out: dict[str, str] = {}
    for key, value in context.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            out[f"{prefix}{key}"] = str(value)
    return out


def _units(text: str) -> int:
    """Length in Docs indexes (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _paragraphs(content: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], tuple[int, int] | None]]:
    """Every paragraph, with (table start, row index) when it is inside a table row."""
    for element in content:
        if "paragraph" in element:
            yield element["paragraph"], None
        table = element.get("table")
        if table:
            for r, row in enumerate(table.get("tableRows") or ()):
                for cell in row.get("tableCells") or ():
                    for paragraph, _ in _paragraphs(cell.get("content") or []):
                        yield paragraph, (element["startIndex"], r)


def _text_of(paragraph: dict[str, Any]) -> list[tuple[int, str]]:
    return [(run["startIndex"], run["textRun"]["content"]) for run in paragraph.get("elements") or ()
            if "textRun" in run]


def _repeated_rows(document: dict[str, Any]) -> list[tuple[int, int, str, list[str]]]:
    """(table start, row index, prefix, cell texts) of each row with `{{line.` or `{{tax.` placeholders."""
    found: dict[tuple[int, int], str] = {}
    for paragraph, where in _paragraphs(document["body"]["content"]):
        if where is None:
            continue
        for _, text in _text_of(paragraph):
            for name in PLACEHOLDER.findall(text):
                prefix = name.split(".", 1)[0]
                if prefix in REPEATED and "." in name:
                    found.setdefault(where, prefix)
    return [(t, r, p, []) for (t, r), p in found.items()]


def _value_edits(document: dict[str, Any], values: dict[str, str]) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Replace each known placeholder outside repeated rows by its value (delete, then insert)."""
    repeated = {(t, r) for t, r, _, _ in _repeated_rows(document)}
    for paragraph, where in _paragraphs(document["body"]["content"]):
        if where in repeated:
            continue
        runs = _text_of(paragraph)
        if not runs:
            continue
        start, text = runs[0][0], "".join(t for _, t in runs)
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) in values:
                begin = start + _units(text[:match.start()])
                end = begin + _units(match.group(0))
                yield begin, 1, {"insertText": {"location": {"index": begin}, "text": values[match.group(1)]}}
                yield begin, 2, {"deleteContentRange": {"range": {"startIndex": begin, "endIndex": end}}}


def _filler(values: Mapping[str, str]) -> Callable[[re.Match[str]], str]:
    """A placeholder's value from `values` (bound here, once per row); an unknown one stays as written."""
    return lambda m: values.get(m.group(1), m.group(0))


def _row_edits(document: dict[str, Any], table_start: int, template: int, items: list[dict[str, str]],
               prefix: str) -> list[tuple[int, int, dict[str, Any]]]:
    """Fill the rows inserted below the template row, then delete the template row."""
    table = next(e for e in document["body"]["content"] if e.get("startIndex") == table_start)["table"]
    rows = table["tableRows"]
    model = [" ".join(t.rstrip("\n") for p in cell.get("content") or () if "paragraph" in p
                      for _, t in _text_of(p["paragraph"])) for cell in rows[template]["tableCells"]]
    edits: list[tuple[int, int, dict[str, Any]]] = []
    for item, row in zip(items, rows[template + 1: template + 1 + len(items)]):
        values = {f"{prefix}.{k}": str(v) for k, v in item.items()}
        for text, cell in zip(model, row["tableCells"]):
            filled = PLACEHOLDER.sub(_filler(values), text)
            if filled:
                at = cell["content"][0]["startIndex"]
                edits.append((at, 0, {"insertText": {"location": {"index": at}, "text": filled}}))
    row = rows[template]
    edits.append((row["startIndex"], 3, {"deleteTableRow": {"tableCellLocation": {
        "tableStartLocation": {"index": table_start}, "rowIndex": template}}}))
    return edits


STARTER_TOP = ("{{practice.name}}\n{{practice.address}}\n\n{{title}} {{number}}\nDate: {{issue_date}}   Due: {{due_date}}\n\n"
               "Bill to: {{client.name}}\n{{client.address}}\n")
# a line reads in one basis: quantity x unit price - discount = amount, net or gross (core.price_basis)
STARTER_ROWS = (("Description", "Quantity", "{{unit_price_label}}", "Discount", "{{amount_label}}"),
                ("{{line.description}}", "{{line.quantity}}", "{{line.unit_price}}", "{{line.discount}}",
                 "{{line.amount}} {{line.amount_note}}"))
STARTER_END = "Net {{net}}   Tax {{tax}}   Total {{total}}\nAmount due: {{amount_due}}\n{{payment_terms}}\n{{practice.bank}}"


def create_template(google: Google, folder_id: str = "") -> str:
    """A starter invoice template (a Docs document in the folder, sheetbill's own); its id."""
    drive, docs = google.service("drive"), google.service("docs")
    body: dict[str, Any] = {"name": "sheetbill invoice template", "mimeType": "application/vnd.google-apps.document"}
    if folder_id:
        body["parents"] = [folder_id]
    document_id = google.execute(lambda: drive.files().create(body=body, fields="id"), idempotent=False)["id"]
    table_at = 1 + _units(STARTER_TOP)
    requests = [{"insertText": {"location": {"index": 1}, "text": STARTER_TOP + "\n" + STARTER_END}},
                {"insertTable": {"location": {"index": table_at}, "rows": len(STARTER_ROWS),
                                 "columns": len(STARTER_ROWS[0])}}]
    google.execute(lambda: docs.documents().batchUpdate(documentId=document_id, body={"requests": requests}),
                   idempotent=False)
    document = google.execute(lambda: docs.documents().get(documentId=document_id))
    table = next(e for e in document["body"]["content"] if "table" in e)["table"]
    fills = [(cell["content"][0]["startIndex"], text)
             for row, texts in zip(table["tableRows"], STARTER_ROWS) for cell, text in zip(row["tableCells"], texts)]
    inserts = [{"insertText": {"location": {"index": at}, "text": text}} for at, text in sorted(fills, reverse=True)]
    google.execute(lambda: docs.documents().batchUpdate(documentId=document_id, body={"requests": inserts}),
                   idempotent=False)
    return document_id
