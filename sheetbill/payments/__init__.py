"""Getting paid: creditor references, payment QR codes, bank statements.

Each module is one concept; none of them reads the workbook or the config
itself. `open_amount.open_amount` is the one place that says how much an
invoice still asks for.
"""
