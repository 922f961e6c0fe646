"""Builds templates/invoice.docx, the Word invoice template (docxtpl syntax).

Run it again after changing it: `python templates/build_invoice_docx.py`.
Practices may also edit invoice.docx in Word or LibreOffice directly; the
placeholders are the context of sheetbill/render/context.py.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
FONT = "Liberation Sans"
ACCENT = RGBColor(0x1D, 0x5C, 0x7A)
MUTED = RGBColor(0x6B, 0x77, 0x80)
RED = RGBColor(0xB3, 0x26, 0x1E)
WIDTH = Mm(176)  # A4 minus 17 mm margins



def _(message: str) -> str:
    """A printed word as the template writes it: `{{ _('Due date') }}`, the
    document's language (`_` in the context, see sheetbill/language.py)."""
    return "{{ _('%s') }}" % message


def _upper(message: str) -> str:
    """A printed word in capitals, in the document's language."""
    return "{{ _('%s')|upper }}" % message


# column title (in capitals), width (mm), right-aligned, cell text
LINE_COLUMNS = (
    (_upper("Date"), 25, False, "{{ line.date }}"),
    (_upper("Description"), 52, False, "{{ line.description }}"),
    (_upper("Qty"), 15, True, "{{ line.quantity }}"),
    ("{{ unit_price_label|upper }}", 23, True, "{{ line.unit_price }}"),
    (_upper("Discount"), 21, True, "{{ line.discount }}"),
    (_upper("Tax"), 13, True, "{{ line.tax_rate }}"),
    ("{{ amount_label|upper }}", 27, True,  # net, or gross where the prices are (sheetbill/core/price_basis.py)
     "{{ line.amount }}{% if line.amount_note %}{{ '\\n' ~ line.amount_note }}{% endif %}"),
)

WATERMARK = (  # Word's own watermark shape: diagonal text behind the page
    f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:path textpathok="t" o:connecttype="custom"/>'
    '<v:textpath on="t" fitshape="t"/></v:shapetype>'
    '<v:shape id="DraftWatermark" type="#_x0000_t136" style="position:absolute;'
    "margin-left:0;margin-top:0;width:440pt;height:130pt;rotation:315;z-index:-251657216;"
    "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
    'mso-position-vertical:center;mso-position-vertical-relative:margin" '
    'fillcolor="#f2c9c6" stroked="f"><v:fill opacity="0.6"/>'
    f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt;font-weight:bold" '
    'string="{{ _(\'DRAFT\') }}"/></v:shape></w:pict></w:r>'
)


def build(target: Path) -> None:
    document = Document()
    _page_setup(document)
    _styles(document)
    section = document.sections[0]
    _header(section.header)
    _footer(section.footer)

    top = _grid(document, (100, 76))
    _text(top.cell(0, 0).paragraphs[0], "{{ practice.name }}", size=17, bold=True, color=ACCENT)
    _text(top.cell(0, 0).add_paragraph(), "{% if practice.tax_id %}" + _("Tax ID") + " "
          "{{ practice.tax_id }}{% endif %}", color=MUTED)
    contact = top.cell(0, 1).paragraphs[0]
    contact.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _text(contact, "{{ practice.address }}"
          "{% if practice.phone %}\n{{ practice.phone }}{% endif %}"
          "{% if practice.email %}\n{{ practice.email }}{% endif %}"
          "{% if practice.website %}\n{{ practice.website }}{% endif %}",
          size=8.5, color=MUTED)
    _rule(document)

    _text(document.add_paragraph(), "{%p if draft %}")
    banner = document.add_paragraph()
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(banner, "{{ draft_banner }}", bold=True, color=RED, size=11)
    _text(document.add_paragraph(), "{%p endif %}")

    parties = _grid(document, (100, 76))
    bill_to = parties.cell(0, 0)
    _label(bill_to.paragraphs[0],
           "{% if kind == 'credit_note' %}" + _upper("Credit to") + "{% else %}" + _upper("Bill to")
           + "{% endif %}")
    _text(bill_to.add_paragraph(), "{{ client.name }}", bold=True, size=11)
    _text(bill_to.add_paragraph(), "{{ client.address }}")
    _text(bill_to.add_paragraph(), "{% if client.tax_id %}" + _("Tax ID") + " {{ client.tax_id }}"
          "{% endif %}", color=MUTED)
    meta = parties.cell(0, 1)
    _text(meta.paragraphs[0], "{% if draft %}" + _("DRAFT") + "{% else %}{{ title|upper }}{% endif %}",
          size=20, bold=True, color=ACCENT)
    facts = (("{% if kind == 'credit_note' %}" + _("Credit note no.") + "{% else %}" + _("Invoice no.")
              + "{% endif %}", "{{ number }}"),
             ("{% if kind == 'credit_note' %}" + _("Date") + "{% else %}" + _("Issue date") + "{% endif %}",
              "{{ issue_date }}"),
             ("{% if kind == 'credit_note' %}" + _("Credits invoice") + "{% else %}" + _("Due date")
              + "{% endif %}",
              "{% if kind == 'credit_note' %}{{ credits }}{% else %}{{ due_date }}{% endif %}"),
             (_("Client no."), "{{ client.id }}"),
             ("{% if kind != 'credit_note' and not draft %}" + _("Status") + "{% endif %}",
              "{% if kind != 'credit_note' and not draft %}{% if is_paid %}" + _upper("Paid")
              + "{% else %}{{ status }}{% endif %}{% endif %}"))
    for row, (label, value) in zip(_grid(meta, (36, 38), rows=len(facts)).rows, facts):
        _text(row.cells[0].paragraphs[0], label)
        _text(_right(row.cells[1].paragraphs[0]), value, bold=True)
    document.add_paragraph()

    _lines_table(document)
    document.add_paragraph()
    _totals_table(document)
    _text(document.add_paragraph(), "{%p for note in vat_notes %}")
    _text(document.add_paragraph(), "{{ note }}")
    _text(document.add_paragraph(), "{%p endfor %}")

    _label(document.add_paragraph(),
           "{% if kind == 'credit_note' %}" + _upper("Credit") + "{% else %}" + _upper("Payment") + "{% endif %}")
    _text(document.add_paragraph(), "{{ payment_terms }}")
    _text(document.add_paragraph(), "{%p if practice.bank and kind != 'credit_note' and has_amount_due %}")
    _label(document.add_paragraph(), _upper("Bank details"))
    _text(document.add_paragraph(), "{{ practice.bank }}")
    _text(document.add_paragraph(), "{%p endif %}")

    document.core_properties.title = "Invoice"
    document.core_properties.author = "sheetbill"
    document.save(target)


def _page_setup(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(17)
    section.top_margin, section.bottom_margin = Mm(16), Mm(22)
    section.header_distance, section.footer_distance = Mm(8), Mm(10)


def _styles(document: Document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(9.5)
    normal.element.rPr.rFonts.set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    footer = document.styles["Footer"].paragraph_format.tab_stops
    footer.clear_all()
    footer.add_tab_stop(WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT)


def _header(header) -> None:  # noqa: ANN001 - docx.section._Header
    """The DRAFT watermark, present only when `draft` is true."""
    paragraphs = header.paragraphs
    _text(paragraphs[0], "{%p if draft %}")
    mark = header.add_paragraph()
    mark._p.append(parse_xml(WATERMARK))
    _text(header.add_paragraph(), "{%p endif %}")


def _footer(footer) -> None:  # noqa: ANN001 - docx.section._Footer
    paragraph = footer.paragraphs[0]
    _text(paragraph, "{{ practice.name }}", size=7.5, bold=True)
    _text(paragraph, "{% for line in practice.address_lines %} · {{ line }}{% endfor %}"
          "{% if practice.tax_id %} · " + _("Tax ID") + " {{ practice.tax_id }}{% endif %}\t" + _("Page") + " ",
          size=7.5, color=MUTED)
    _field(paragraph, "PAGE")
    _text(paragraph, " " + _("of") + " ", size=7.5, color=MUTED)
    _field(paragraph, "NUMPAGES")
    _text(footer.add_paragraph(), "{{ practice.bank_lines|join(' · ') }}", size=7.5,
          color=MUTED)


def _lines_table(document: Document) -> None:
    table = document.add_table(rows=4, cols=len(LINE_COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, opening, body, closing = table.rows
    header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    _keep_rows_whole(table)
    _widths(table, tuple(width for _, width, _, _ in LINE_COLUMNS))
    for index, (title, _, right, value) in enumerate(LINE_COLUMNS):
        cell = header.cells[index]
        _shade(cell, "1D5C7A")
        paragraph = _right(cell.paragraphs[0]) if right else cell.paragraphs[0]
        _text(paragraph, title, size=7.5, bold=True, color=RGBColor(255, 255, 255))
        body_paragraph = _right(body.cells[index].paragraphs[0]) if right \
            else body.cells[index].paragraphs[0]
        _text(body_paragraph, value)
        _bottom_border(body.cells[index])
    _text(opening.cells[0].paragraphs[0], "{%tr for line in lines %}")
    _text(closing.cells[0].paragraphs[0], "{%tr endfor %}")
    for row in table.rows:
        for cell in row.cells:
            _padding(cell)


def _totals_table(document: Document) -> None:
    rows = (
        (_("Net total"), "{{ net }}", False),
        ("{%tr for tax in taxes %}", "", False),
        ("{% if tax.label %}{{ tax.label }}{% else %}" + _("Tax") + " {{ tax.rate }}{% endif %} "
         "{{ _('on %(net)s')|format(net=tax.net) }}",
         "{{ tax.tax }}", False),
        ("{%tr endfor %}", "", False),
        ("{%tr if kind != 'credit_note' %}", "", False),
        (_("Total"), "{{ total }}", True),
        ("{%tr endif %}", "", False),
        ("{%tr for payment in payments %}", "", False),
        ("{{ _('Paid %(date)s')|format(date=payment.date) }} {{ payment.method }} {{ payment.reference }}",
         "-{{ payment.amount }}", False),
        ("{%tr endfor %}", "", False),
        ("{%tr if has_payments %}", "", False),
        (_("Balance of this invoice"), "{{ balance }}", False),
        ("{%tr endif %}", "", False),
        ("{%tr if has_previous_balance and kind != 'credit_note' %}", "", False),
        (_("Previous balance"), "{{ previous_balance }}", False),
        ("{%tr endif %}", "", False),
        ("{% if kind == 'credit_note' %}" + _("Total credited") + "{% elif has_previous_balance %}"
         + _("Total now due") + "{% else %}" + _("Amount due") + "{% endif %}",
         "{% if kind == 'credit_note' %}{{ total }}{% else %}{{ amount_due }}{% endif %}", True),
    )
    table = document.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    _widths(table, (56, 32))
    for index, (row, (label, value, strong)) in enumerate(zip(table.rows, rows)):
        due = index == len(rows) - 1
        colour = RGBColor(255, 255, 255) if due else None
        size = 11 if due else None
        _text(row.cells[0].paragraphs[0], label, bold=strong, color=colour, size=size)
        _text(_right(row.cells[1].paragraphs[0]), value, bold=strong, color=colour, size=size)
        for cell in row.cells:
            if due:
                _shade(cell, "1D5C7A")
            _padding(cell)
            cell.paragraphs[0].paragraph_format.keep_with_next = not due
    _keep_rows_whole(table)


def _grid(parent: Document | _Cell, widths_mm: tuple[int, ...], rows: int = 1) -> Table:
    """A borderless layout table with columns of the given widths."""
    table = parent.add_table(rows=rows, cols=len(widths_mm))
    _widths(table, widths_mm)
    return table


def _widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    """Fixed column widths, set on the grid and on every cell (Word reads one,
    LibreOffice the other)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)


def _text(paragraph: Paragraph, text: str, *, size: float | None = None, bold: bool = False,
          color: RGBColor | None = None) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color


def _label(paragraph: Paragraph, text: str) -> None:
    """A small grey capitals heading; `text` is written in capitals already
    (so that template tags in it keep their case)."""
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.space_after = Pt(2)
    _text(paragraph, text, size=7.5, bold=True, color=MUTED)


def _right(paragraph: Paragraph) -> Paragraph:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def _rule(document: Document) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(14)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="18" w:space="4" '
        'w:color="1D5C7A"/></w:pBdr>'))


def _keep_rows_whole(table: Table) -> None:
    """No row is split across two pages."""
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))


def _field(paragraph: Paragraph, name: str) -> None:
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {name} "><w:r><w:rPr><w:color w:val="6B7780"/>'
        '<w:sz w:val="15"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'))


def _shade(cell: _Cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(
        f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def _bottom_border(cell: _Cell) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(
        f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:color="D5DBE0"/>'
        '</w:tcBorders>'))


def _padding(cell: _Cell) -> None:
    cell._tc.get_or_add_tcPr().append(parse_xml(
        f'<w:tcMar {nsdecls("w")}><w:top w:w="60" w:type="dxa"/>'
        '<w:bottom w:w="60" w:type="dxa"/></w:tcMar>'))


if __name__ == "__main__":
    build(HERE / "invoice.docx")
    print(f"wrote {HERE / 'invoice.docx'}")
