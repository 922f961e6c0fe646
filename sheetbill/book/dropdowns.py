"""The dropdown columns a workbook may have: `init` adds them, and either
backend gives them their choices where the column is present."""

from __future__ import annotations

OPTIONAL_DROPDOWNS = (  # tab, field, choices, the note shown on the cell: where init adds the column
    ("services", "vat_category", ("S", "Z", "E", "AE", "K", "O"),
     "S taxed, Z zero-rated, E exempt (give the reason), AE reverse charge, K intra-EU, O outside scope"),
    ("services", "prices", ("net", "gross"), "gross: the Unit Price includes VAT; empty: the config's"),
    ("clients", "vat_category", ("AE", "K"),
     "AE: a business client abroad under reverse charge (their VAT ID in Tax ID); empty: the services'"),
    ("clients", "language", ("en", "de", "fr"), "The client's invoices and emails in this language (e.g. de, fr_FR)"),
    ("clients", "e_invoice", ("none", "facturx", "xrechnung-cii", "xrechnung-ubl", "peppol"),
     "The e-invoice this client receives; xrechnung needs a Buyer Reference (Leitweg-ID)"),
)
