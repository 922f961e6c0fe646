"""UBL 2.1 Invoice and CreditNote as EN 16931 binds them: Peppol BIS Billing 3.0
and XRechnung UBL."""

from __future__ import annotations

from lxml import etree

from .cii import _money, _n
from .model import CREDIT_NOTE, Category, EInvoice, Party

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

PEPPOL = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
XRECHNUNG_UBL = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def ubl_xml(inv: EInvoice, customization: str = PEPPOL) -> bytes:
    """The invoice as a UBL Invoice, a credit note as a UBL CreditNote (UTF-8, with declaration)."""
    credit = inv.type_code == CREDIT_NOTE
    name = "CreditNote" if credit else "Invoice"
    # the document's namespace as the default one (lxml's nsmap key None, which its stubs do not allow)
    root = etree.fromstring(f'<{name} xmlns="{CREDIT_NOTE_NS if credit else INVOICE_NS}" '
                            f'xmlns:cac="{CAC}" xmlns:cbc="{CBC}"/>')
    cbc(root, "CustomizationID", customization)
    cbc(root, "ProfileID", PEPPOL_PROFILE)
    cbc(root, "ID", inv.number)
    cbc(root, "IssueDate", inv.issue_date.isoformat())
    if inv.due_date and not credit:
        cbc(root, "DueDate", inv.due_date.isoformat())
    cbc(root, f"{name}TypeCode", inv.type_code)
    for note in inv.notes:
        cbc(root, "Note", note)
    cbc(root, "DocumentCurrencyCode", inv.currency)
    if inv.buyer_reference:
        cbc(root, "BuyerReference", inv.buyer_reference)
    if inv.preceding:
        ref = cac(cac(root, "BillingReference"), "InvoiceDocumentReference")
        cbc(ref, "ID", inv.preceding)
        if inv.preceding_date:
            cbc(ref, "IssueDate", inv.preceding_date.isoformat())
    _party(cac(root, "AccountingSupplierParty"), inv.seller, seller=True)
    _party(cac(root, "AccountingCustomerParty"), inv.buyer, seller=False)
    if inv.delivery_date or inv.deliver_to_country:
        delivery = cac(root, "Delivery")
        if inv.delivery_date:
            cbc(delivery, "ActualDeliveryDate", inv.delivery_date.isoformat())
        if inv.deliver_to_country:
            address = cac(cac(delivery, "DeliveryLocation"), "Address")
            cbc(cac(address, "Country"), "IdentificationCode", inv.deliver_to_country)
    p = inv.payment
    if p:
        means = cac(root, "PaymentMeans")
        cbc(means, "PaymentMeansCode", p.means_code)
        if p.reference:
            cbc(means, "PaymentID", p.reference)
        if p.iban:
            account = cac(means, "PayeeFinancialAccount")
            cbc(account, "ID", p.iban)
            if p.account_name:
                cbc(account, "Name", p.account_name)
            if p.bic:
                cbc(cac(account, "FinancialInstitutionBranch"), "ID", p.bic)
    if inv.payment_terms:
        cbc(cac(root, "PaymentTerms"), "Note", inv.payment_terms)
    total = cac(root, "TaxTotal")
    cbc(total, "TaxAmount", _money(inv.totals.tax), currencyID=inv.currency)
    for b in inv.breakdown:
        sub = cac(total, "TaxSubtotal")
        cbc(sub, "TaxableAmount", _money(b.taxable), currencyID=inv.currency)
        cbc(sub, "TaxAmount", _money(b.tax), currencyID=inv.currency)
        _category(sub, "TaxCategory", b.category, with_reason=True)
    t = inv.totals
    money = cac(root, "LegalMonetaryTotal")
    cbc(money, "LineExtensionAmount", _money(t.line_net), currencyID=inv.currency)
    cbc(money, "TaxExclusiveAmount", _money(t.tax_exclusive), currencyID=inv.currency)
    cbc(money, "TaxInclusiveAmount", _money(t.tax_inclusive), currencyID=inv.currency)
    if t.prepaid:
        cbc(money, "PrepaidAmount", _money(t.prepaid), currencyID=inv.currency)
    cbc(money, "PayableAmount", _money(t.due), currencyID=inv.currency)
    for line in inv.lines:
        el = cac(root, f"{name}Line")
        cbc(el, "ID", line.line_id)
        cbc(el, "CreditedQuantity" if credit else "InvoicedQuantity", _n(line.quantity), unitCode=line.unit_code)
        cbc(el, "LineExtensionAmount", _money(line.net), currencyID=inv.currency)
        if line.day:
            period = cac(el, "InvoicePeriod")
            cbc(period, "StartDate", line.day.isoformat())
            cbc(period, "EndDate", line.day.isoformat())
        if line.allowance:
            charge = cac(el, "AllowanceCharge")
            cbc(charge, "ChargeIndicator", "false")
            cbc(charge, "AllowanceChargeReasonCode", "95")
            cbc(charge, "AllowanceChargeReason", "Discount")
            cbc(charge, "Amount", _money(line.allowance), currencyID=inv.currency)
        item = cac(el, "Item")
        cbc(item, "Name", line.name)
        if line.seller_item_id:
            cbc(cac(item, "SellersItemIdentification"), "ID", line.seller_item_id)
        _category(item, "ClassifiedTaxCategory", line.category, with_reason=False)
        cbc(cac(el, "Price"), "PriceAmount", _n(line.price), currencyID=inv.currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _party(el, party: Party, seller: bool) -> None:
    p = cac(el, "Party")
    if party.email:
        cbc(p, "EndpointID", party.email, schemeID="EM")
    if party.identifier:
        cbc(cac(p, "PartyIdentification"), "ID", party.identifier)
    cbc(cac(p, "PartyName"), "Name", party.name)
    address = cac(p, "PostalAddress")
    a = party.address
    if a.lines:
        cbc(address, "StreetName", a.lines[0])
    if len(a.lines) > 1:
        cbc(address, "AdditionalStreetName", a.lines[1])
    if a.city:
        cbc(address, "CityName", a.city)
    if a.postcode:
        cbc(address, "PostalZone", a.postcode)
    if len(a.lines) > 2:
        cbc(cac(address, "AddressLine"), "Line", a.lines[2])
    cbc(cac(address, "Country"), "IdentificationCode", a.country)
    if party.vat_id:
        scheme = cac(p, "PartyTaxScheme")
        cbc(scheme, "CompanyID", party.vat_id)
        cbc(cac(scheme, "TaxScheme"), "ID", "VAT")
    if party.tax_number:
        scheme = cac(p, "PartyTaxScheme")
        cbc(scheme, "CompanyID", party.tax_number)
        cbc(cac(scheme, "TaxScheme"), "ID", "FC")
    cbc(cac(p, "PartyLegalEntity"), "RegistrationName", party.name)
    if seller and (party.phone or party.email):
        contact = cac(p, "Contact")
        cbc(contact, "Name", party.name)
        if party.phone:
            cbc(contact, "Telephone", party.phone)
        if party.email:
            cbc(contact, "ElectronicMail", party.email)


def _category(parent, tag: str, category: Category, with_reason: bool) -> None:
    el = cac(parent, tag)
    cbc(el, "ID", category.code)
    if category.code != "O":
        cbc(el, "Percent", _n(category.rate))
    if with_reason and category.exemption_code:
        cbc(el, "TaxExemptionReasonCode", category.exemption_code)
    if with_reason and category.exemption_reason:
        cbc(el, "TaxExemptionReason", category.exemption_reason)
    cbc(cac(el, "TaxScheme"), "ID", "VAT")


def cac(parent, tag: str):
    return etree.SubElement(parent, f"{{{CAC}}}{tag}")


def cbc(parent, tag: str, text: str, **attrs: str):
    el = etree.SubElement(parent, f"{{{CBC}}}{tag}", attrs)
    el.text = text
    return el
