"""What a client's `E-Invoice` setting adds to the invoice email: the Factur-X
PDF in place of the plain one, or the XRechnung / Peppol XML beside it."""

from __future__ import annotations

import facturx

from ..config import Render
from ..core.document import InvoiceDocument
from ..core.vat import NO_EINVOICE
from ..render.html import HtmlRenderer
from .cii import FACTURX_EN16931, XRECHNUNG, cii_xml
from .facturx_pdf import facturx_pdf
from .mapping import einvoice_for, rule_problem
from .ubl import PEPPOL, XRECHNUNG_UBL, ubl_xml

PDF_A3 = "pdf/a-3b"
NONE = NO_EINVOICE
FORMATS = ("facturx", "xrechnung-cii", "xrechnung-ubl", "peppol")
_ALIASES = {"factur-x": "facturx", "zugferd": "facturx", "peppol-ubl": "peppol", "xrechnung": "xrechnung-cii"}


def einvoice_format(setting: str) -> str:
    """The format a Clients `E-Invoice` cell names ("" for none). Raises ValueError, naming the
    choices, for anything else."""
    text = setting.strip().lower()
    if text in NONE:
        return ""
    text = _ALIASES.get(text, text)
    if text not in FORMATS:
        raise ValueError(f"E-Invoice '{setting}' is not one of none, {', '.join(FORMATS)}")
    return text


def einvoice_xml(doc: InvoiceDocument, fmt: str) -> tuple[bytes, str]:
    """The invoice's XML in format `fmt` and its file name."""
    inv = einvoice_for(doc, doc.client.buyer_reference)
    if fmt == "facturx":
        return cii_xml(inv, FACTURX_EN16931), "factur-x.xml"
    if fmt == "xrechnung-cii":
        return cii_xml(inv, XRECHNUNG), f"{inv.number}.xrechnung.xml"
    if fmt == "xrechnung-ubl":
        return ubl_xml(inv, XRECHNUNG_UBL), f"{inv.number}.xrechnung.xml"
    return ubl_xml(inv, PEPPOL), f"{inv.number}.peppol.xml"


def schema_problem(doc: InvoiceDocument) -> str:
    """Why the client's e-invoice of `doc` fails its schema (XSD), "" when it passes or none is due."""
    try:
        fmt = einvoice_format(doc.client.e_invoice)
        if not fmt:
            return ""
        problem = rule_problem(einvoice_for(doc, doc.client.buyer_reference))
        if problem:
            return f"{doc.invoice.invoice_no}: e-invoice not valid: {problem}"
        xml, _ = einvoice_xml(doc, fmt)
        facturx.xml_check_xsd(xml, level="en16931" if fmt in ("facturx", "xrechnung-cii") else "autodetect")
    except Exception as exc:  # noqa: BLE001 (factur-x raises plain Exception for a schema error)
        return f"{doc.invoice.invoice_no}: e-invoice not valid: {' '.join(str(exc).split())[:300]}"
    return ""


def with_einvoice(doc: InvoiceDocument, pdf: bytes, render: Render | None = None,
                  ) -> tuple[bytes, tuple[bytes, str] | None]:
    """(the PDF to send, an XML attachment or None) for the client's setting: Factur-X embeds
    the XML in the invoice rendered again as PDF/A-3b (with the practice's HTML template; other
    engines' PDF as it is); XRechnung and Peppol send it beside the PDF. Raises ValueError for
    a setting that names no format or an invoice that breaks EN 16931's rules (`rule_problem`)."""
    fmt = einvoice_format(doc.client.e_invoice)
    if not fmt:
        return pdf, None
    problem = rule_problem(einvoice_for(doc, doc.client.buyer_reference))
    if problem:
        raise ValueError(f"e-invoice not valid: {problem}")
    xml, name = einvoice_xml(doc, fmt)
    if fmt == "facturx":
        if render is not None and render.engine == "html":
            pdf = HtmlRenderer(render.template, pdf_variant=PDF_A3).render(doc)
        return facturx_pdf(pdf, xml, einvoice_for(doc, doc.client.buyer_reference)), None
    return pdf, (xml, name)
