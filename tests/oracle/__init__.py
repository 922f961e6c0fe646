"""The money oracle: an independent reading of a practice's workbook, recording
renderers, and the comparison of every document's figures with the account."""
