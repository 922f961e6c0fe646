"""How a column of each kind shows its numbers, in every workbook backend."""

from __future__ import annotations

FORMATS = {"money": "#,##0.00", "percent": "0%", "date": "yyyy-mm-dd"}
