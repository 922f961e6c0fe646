"""Handing the books to the accountant: import files for accounting systems.

`journal` turns the ledger into the period's documents (invoices, credit
notes, payments); one module per format turns those into a file's bytes;
`export` names the formats. Everything here is pure but for `export.write`.
"""
