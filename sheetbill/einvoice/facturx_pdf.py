"""Factur-X / ZUGFeRD: the invoice PDF (PDF/A-3b) with its CII XML embedded as
`factur-x.xml` (AFRelationship Data) and the XMP metadata the standard requires.

The same invoice gives the same bytes: the dates the factur-x package stamps
with the current time (document info, XMP, the embedded file's) are set to
the invoice's issue date, the file identifier is a hash of the content, and
the producer named in the document info and in the XMP is the same one (as
PDF/A asks). The XMP is stored uncompressed (PDF/A: no Filter on it)."""

from __future__ import annotations

import io
from datetime import date

import facturx
import pikepdf

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
    made = facturx.generate_from_binary(pdf_a3, xml, flavor="factur-x", level="en16931", check_xsd=False,
                                        pdf_metadata=metadata, lang=lang, afrelationship="data",
                                        xmp_compression=False)
    return dated(made, inv.issue_date)


def dated(pdf: bytes, day: date) -> bytes:
    """`pdf` with every creation and modification date set to `day` (midnight UTC), the XMP's
    producer the document info's, and a file identifier made from the content."""
    info_date = f"D:{day:%Y%m%d}000000+00'00'"
    xmp_date = f"{day.isoformat()}T00:00:00+00:00"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.docinfo["/CreationDate"] = doc.docinfo["/ModDate"] = pikepdf.String(info_date)
        producer = str(doc.docinfo.get("/Producer", ""))
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["xmp:CreateDate"] = meta["xmp:ModifyDate"] = xmp_date
            if producer:
                meta["pdf:Producer"] = producer
        for spec in doc.attachments.values():
            params = spec.obj.EF.F.get("/Params")
            if params is not None:
                params.ModDate = pikepdf.String(info_date)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
    return out.getvalue()
