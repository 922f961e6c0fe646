"""Factur-X / ZUGFeRD: the invoice PDF (PDF/A-3b) with its CII XML embedded as
`factur-x.xml` (AFRelationship Data) and the XMP metadata the standard requires."""

from __future__ import annotations

import facturx

from .model import EInvoice

ATTACHMENT = "factur-x.xml"


def facturx_pdf(pdf_a3: bytes, xml: bytes, inv: EInvoice, lang: str = "en") -> bytes:
    """`pdf_a3` (rendered as PDF/A-3b) with `xml` (the EN 16931 profile's CII) embedded.
    Raises ValueError when the XML does not pass its schema."""
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    except Exception as exc:
        raise ValueError(f"{inv.number}: the Factur-X XML does not pass its schema: {exc}") from exc
    title = f"{'Credit note' if inv.type_code == '381' else 'Invoice'} {inv.number}"
    metadata = {"author": inv.seller.name, "keywords": "Factur-X, Invoice", "title": title,
                "subject": f"{title} of {inv.seller.name}"}
    return facturx.generate_from_binary(pdf_a3, xml, flavor="factur-x", level="en16931", check_xsd=False,
                                        pdf_metadata=metadata, lang=lang, afrelationship="data")
