"""Python's cyclic garbage collector held off from reading the workbook to committing.

Between the two, a cycle allocates hundreds of thousands of small objects
(rows, records, texts) that live until the commit; the collector would scan
them again and again (about a tenth of a large cycle) and find nothing to
free: they go by reference counting. It runs as usual again after the commit
and at the end of the lease, so PDFs and emails are made with it on; what the
cycle made until then is frozen (not scanned again by the collections that
follow) until the next cycle holds it off again.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    global _held
    if not _held and gc.isenabled():
        gc.unfreeze()  # the last cycle's survivors: scanned as usual again
        gc.disable()
        _held = True


def release() -> None:
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
