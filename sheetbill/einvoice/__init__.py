"""E-invoices: the invoice in EN 16931's business terms, written as UN/CEFACT
CII (Factur-X / ZUGFeRD, XRechnung CII) or UBL 2.1 (Peppol BIS Billing 3.0,
XRechnung UBL)."""
