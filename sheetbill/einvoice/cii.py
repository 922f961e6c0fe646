"""UN/CEFACT Cross Industry Invoice (D16B, as EN 16931 binds it): the XML of
Factur-X / ZUGFeRD in the EN 16931 profile and of XRechnung CII."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from ..core.number import fmt
from .model import Category, EInvoice, Party

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}

FACTURX_EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


def cii_xml(inv: EInvoice, guideline: str = FACTURX_EN16931) -> bytes:
    """The invoice as CII XML (UTF-8, with declaration), for the given guideline (BT-24)."""
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _sub(root, RSM, "ExchangedDocumentContext")
    _sub(_sub(context, RAM, "GuidelineSpecifiedDocumentContextParameter"), RAM, "ID", guideline)
    header = _sub(root, RSM, "ExchangedDocument")
    _sub(header, RAM, "ID", inv.number)
    _sub(header, RAM, "TypeCode", inv.type_code)
    _date(_sub(header, RAM, "IssueDateTime"), inv.issue_date)
    for note in inv.notes:
        _sub(_sub(header, RAM, "IncludedNote"), RAM, "Content", note)

    trade = _sub(root, RSM, "SupplyChainTradeTransaction")
    for line in inv.lines:
        item = _sub(trade, RAM, "IncludedSupplyChainTradeLineItem")
        _sub(_sub(item, RAM, "AssociatedDocumentLineDocument"), RAM, "LineID", line.line_id)
        product = _sub(item, RAM, "SpecifiedTradeProduct")
        if line.seller_item_id:
            _sub(product, RAM, "SellerAssignedID", line.seller_item_id)
        _sub(product, RAM, "Name", line.name)
        agreement = _sub(item, RAM, "SpecifiedLineTradeAgreement")
        _sub(_sub(agreement, RAM, "NetPriceProductTradePrice"), RAM, "ChargeAmount", _n(line.price))
        _sub(_sub(item, RAM, "SpecifiedLineTradeDelivery"), RAM, "BilledQuantity", _n(line.quantity),
             unitCode=line.unit_code)
        settlement = _sub(item, RAM, "SpecifiedLineTradeSettlement")
        _tax(settlement, line.category)
        if line.day is not None:
            period = _sub(settlement, RAM, "BillingSpecifiedPeriod")
            _date(_sub(period, RAM, "StartDateTime"), line.day)
            _date(_sub(period, RAM, "EndDateTime"), line.day)
        if line.allowance:
            charge = _sub(settlement, RAM, "SpecifiedTradeAllowanceCharge")
            _sub(_sub(charge, RAM, "ChargeIndicator"), UDT, "Indicator", "false")
            _sub(charge, RAM, "ActualAmount", _money(line.allowance))
            _sub(charge, RAM, "ReasonCode", "95")
            _sub(charge, RAM, "Reason", "Discount")
        _sub(_sub(settlement, RAM, "SpecifiedTradeSettlementLineMonetarySummation"), RAM, "LineTotalAmount",
             _money(line.net))

    agreement = _sub(trade, RAM, "ApplicableHeaderTradeAgreement")
    if inv.buyer_reference:
        _sub(agreement, RAM, "BuyerReference", inv.buyer_reference)
    _party(_sub(agreement, RAM, "SellerTradeParty"), inv.seller, seller=True)
    _party(_sub(agreement, RAM, "BuyerTradeParty"), inv.buyer, seller=False)
    delivery = _sub(trade, RAM, "ApplicableHeaderTradeDelivery")
    if inv.deliver_to_country:
        ship_to = _sub(_sub(delivery, RAM, "ShipToTradeParty"), RAM, "PostalTradeAddress")
        _sub(ship_to, RAM, "CountryID", inv.deliver_to_country)
    if inv.delivery_date is not None:
        _date(_sub(_sub(delivery, RAM, "ActualDeliverySupplyChainEvent"), RAM, "OccurrenceDateTime"),
              inv.delivery_date)

    settlement = _sub(trade, RAM, "ApplicableHeaderTradeSettlement")
    if inv.payment and inv.payment.reference:
        _sub(settlement, RAM, "PaymentReference", inv.payment.reference)
    _sub(settlement, RAM, "InvoiceCurrencyCode", inv.currency)
    if inv.payment:
        means = _sub(settlement, RAM, "SpecifiedTradeSettlementPaymentMeans")
        _sub(means, RAM, "TypeCode", inv.payment.means_code)
        if inv.payment.iban:
            account = _sub(means, RAM, "PayeePartyCreditorFinancialAccount")
            _sub(account, RAM, "IBANID", inv.payment.iban)
            if inv.payment.account_name:
                _sub(account, RAM, "AccountName", inv.payment.account_name)
        if inv.payment.bic:
            _sub(_sub(means, RAM, "PayeeSpecifiedCreditorFinancialInstitution"), RAM, "BICID", inv.payment.bic)
    for b in inv.breakdown:
        tax = _sub(settlement, RAM, "ApplicableTradeTax")
        _sub(tax, RAM, "CalculatedAmount", _money(b.tax))
        _sub(tax, RAM, "TypeCode", "VAT")
        if b.category.exemption_reason:
            _sub(tax, RAM, "ExemptionReason", b.category.exemption_reason)
        _sub(tax, RAM, "BasisAmount", _money(b.taxable))
        _sub(tax, RAM, "CategoryCode", b.category.code)
        if b.category.exemption_code:
            _sub(tax, RAM, "ExemptionReasonCode", b.category.exemption_code)
        if b.category.code != "O":  # outside the scope of VAT: no rate at all (BR-O-05, BR-O-09)
            _sub(tax, RAM, "RateApplicablePercent", _n(b.category.rate))
    if inv.payment_terms or inv.due_date:
        terms = _sub(settlement, RAM, "SpecifiedTradePaymentTerms")
        if inv.payment_terms:
            _sub(terms, RAM, "Description", inv.payment_terms)
        if inv.due_date:
            _date(_sub(terms, RAM, "DueDateDateTime"), inv.due_date)
    t = inv.totals
    summation = _sub(settlement, RAM, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _sub(summation, RAM, "LineTotalAmount", _money(t.line_net))
    _sub(summation, RAM, "TaxBasisTotalAmount", _money(t.tax_exclusive))
    _sub(summation, RAM, "TaxTotalAmount", _money(t.tax), currencyID=inv.currency)
    _sub(summation, RAM, "GrandTotalAmount", _money(t.tax_inclusive))
    if t.prepaid:
        _sub(summation, RAM, "TotalPrepaidAmount", _money(t.prepaid))
    _sub(summation, RAM, "DuePayableAmount", _money(t.due))
    if inv.preceding:
        ref = _sub(settlement, RAM, "InvoiceReferencedDocument")
        _sub(ref, RAM, "IssuerAssignedID", inv.preceding)
        if inv.preceding_date:
            _sub(_sub(ref, RAM, "FormattedIssueDateTime"), QDT, "DateTimeString", inv.preceding_date.strftime("%Y%m%d"),
                 format="102")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _party(el, party: Party, seller: bool) -> None:
    if party.identifier:
        _sub(el, RAM, "ID", party.identifier)
    _sub(el, RAM, "Name", party.name)
    if seller and (party.phone or party.email):
        contact = _sub(el, RAM, "DefinedTradeContact")
        _sub(contact, RAM, "PersonName", party.name)
        if party.phone:
            _sub(_sub(contact, RAM, "TelephoneUniversalCommunication"), RAM, "CompleteNumber", party.phone)
        if party.email:
            _sub(_sub(contact, RAM, "EmailURIUniversalCommunication"), RAM, "URIID", party.email)
    address = _sub(el, RAM, "PostalTradeAddress")
    a = party.address
    if a.postcode:
        _sub(address, RAM, "PostcodeCode", a.postcode)
    for tag, text in zip(("LineOne", "LineTwo", "LineThree"), a.lines):
        _sub(address, RAM, tag, text)
    if a.city:
        _sub(address, RAM, "CityName", a.city)
    _sub(address, RAM, "CountryID", a.country)
    if party.email:
        _sub(_sub(el, RAM, "URIUniversalCommunication"), RAM, "URIID", party.email, schemeID="EM")
    if party.vat_id:
        _sub(_sub(el, RAM, "SpecifiedTaxRegistration"), RAM, "ID", party.vat_id, schemeID="VA")
    if party.tax_number:
        _sub(_sub(el, RAM, "SpecifiedTaxRegistration"), RAM, "ID", party.tax_number, schemeID="FC")


def _tax(el, category: Category) -> None:
    tax = _sub(el, RAM, "ApplicableTradeTax")
    _sub(tax, RAM, "TypeCode", "VAT")
    _sub(tax, RAM, "CategoryCode", category.code)
    if category.code != "O":
        _sub(tax, RAM, "RateApplicablePercent", _n(category.rate))


def _sub(parent, ns: str, tag: str, text: str | None = None, **attrs: str):
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _date(el, day: date) -> None:
    _sub(el, UDT, "DateTimeString", day.strftime("%Y%m%d"), format="102")


def _money(value: Decimal) -> str:
    """An amount with two places, half-up, and a zero without sign (BR-E-09 wants 0.00, not -0.00)."""
    return fmt(value)


def _n(value: Decimal) -> str:
    """A quantity, price or rate: as written, without exponent or trailing zeros beyond two places."""
    text = f"{value.normalize():f}"
    return text if "." in text and len(text.split(".")[1]) >= 2 else f"{value.quantize(Decimal('0.01')):f}"
