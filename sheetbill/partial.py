"""What a run had written when a later write of it failed.

A cycle writes the workbook several times (the invoices, then the PDF links
and email marks, then Sent At). When one of the later writes cannot be made
(the workbook was opened in Excel meanwhile), the message must not say
"Nothing was written": the invoices are saved, PDFs made, emails maybe sent.
"""

from __future__ import annotations

import copy
import re
from typing import Sequence

from .errors import SheetbillError

_NOTHING = re.compile(r"[.;,]?\s*nothing was written[^.]*\.?", re.IGNORECASE)


def partly_written(exc: SheetbillError, created: Sequence[str], pdfs: Sequence[str],
                   sent: Sequence[str]) -> SheetbillError:
    """`exc` (same kind, same exit code) with what the run did before it."""
    done = []
    if created:
        done.append(f"saved in the workbook: {_few(created)}")
    if pdfs:
        done.append(f"PDFs made: {_few(pdfs)}")
    if sent:
        done.append(f"emailed: {_few(sent)}")
    if not done:
        return exc
    reason = _NOTHING.sub("", str(exc)).rstrip(" .;")
    told = copy.copy(exc)  # its kind and what it carries (a workbook open since when), with more to say
    told.args = (f"{reason}. This run had already {'; '.join(done)}. Only its last write (PDF links, "
                 "Sent At) was not made; the next run records it and sends nothing twice.",)
    return told


def _few(labels: Sequence[str], shown: int = 10) -> str:
    more = len(labels) - shown
    return ", ".join(labels[:shown]) + (f" and {more} more" if more > 0 else "")
