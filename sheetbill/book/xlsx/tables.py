"""Excel Tables (`xl/tables/tableN.xml`) over rows that get appended.

A table that reaches the sheet's last used row grows to take in the rows
appended below it, with its autoFilter, as Excel does when one types
below a table. Tables with a totals row are left alone (the new rows
would land under the totals).
"""

from __future__ import annotations

from .errors import BrokenWorkbook
from .refs import parse_range, range_ref
from .xmledit import attrs, find_element, set_attr


def extend_table(xml: bytes, last_used: int, appended: int) -> bytes | None:
    """The table part grown over rows `last_used+1 .. last_used+appended`,
    or None when the table does not end with the data or needs no change."""
    text = xml.decode("utf-8")
    table = find_element(text, "table")
    if table is None:
        raise BrokenWorkbook("a table part has no table element")
    found = attrs(text[table.start : table.open_end])
    if int(found.get("totalsRowCount", "0") or 0) > 0 or "ref" not in found:
        return None
    top, left, bottom, right = parse_range(found["ref"])
    new_bottom = last_used + appended
    if not (top <= last_used <= bottom < new_bottom):
        return None
    open_tag = set_attr(text[table.start : table.open_end], "ref", range_ref(top, left, new_bottom, right))
    text = text[: table.start] + open_tag + text[table.open_end :]
    table = find_element(text, "table")
    assert table is not None
    auto_filter = find_element(text, "autoFilter", table.open_end)
    if auto_filter is not None:
        tag = text[auto_filter.start : auto_filter.open_end]
        ref = attrs(tag).get("ref")
        if ref:
            f_top, f_left, f_bottom, f_right = parse_range(ref)
            if f_bottom == bottom:
                tag = set_attr(tag, "ref", range_ref(f_top, f_left, new_bottom, f_right))
                text = text[: auto_filter.start] + tag + text[auto_filter.open_end :]
    return text.encode("utf-8")
