"""What a part holds beyond plain cells, counted: the things the guard
compares between two packages and `foreign_parts` describes.

Counts are of elements by local name (any namespace prefix) and of
extension URIs; a worksheet is counted outside its `<sheetData>` only, so
a 60 MB sheet costs a couple of `find`s, not a parse.
"""

from __future__ import annotations

import re
from collections import Counter

SHEET_FEATURES = {
    "dataValidation": "data validations",
    "conditionalFormatting": "conditional formats",
    "mergeCell": "merged cells",
    "hyperlink": "hyperlinks",
    "sparklineGroup": "sparkline groups",
    "drawing": "drawings",
    "legacyDrawing": "comment or control drawings",
    "legacyDrawingHF": "header and footer pictures",
    "tablePart": "tables",
    "sheetProtection": "sheet protections",
    "protectedRange": "protected ranges",
    "autoFilter": "filters",
    "slicerList": "slicer lists",
    "control": "form controls",
    "oleObject": "embedded objects",
    "col": "column settings",
    "pane": "frozen panes",
    "pageSetup": "page setups",
    "headerFooter": "headers and footers",
    "brk": "page breaks",
    "ignoredError": "ignored-error rules",
}

PLAIN_SHEET_FEATURES = frozenset(
    {"column settings", "frozen panes", "page setups", "headers and footers", "page breaks", "ignored-error rules"}
)
"""Sheet features too ordinary to mention in `foreign_parts`."""

DRAWING_FEATURES = {
    "twoCellAnchor": "anchored objects",
    "oneCellAnchor": "anchored objects (one cell)",
    "absoluteAnchor": "anchored objects (absolute)",
    "sp": "shapes",
    "pic": "pictures",
    "graphicFrame": "charts or graphic frames",
    "grpSp": "shape groups",
    "cxnSp": "connectors",
}

WORKBOOK_FEATURES = {
    "sheet": "sheets",
    "definedName": "defined names",
    "externalReference": "external references",
    "pivotCache": "pivot caches",
    "workbookView": "workbook views",
    "customWorkbookView": "custom views",
    "workbookProtection": "workbook protections",
}

STYLES_FEATURES = {
    "numFmt": "number formats",
    "font": "fonts",
    "fill": "fills",
    "border": "borders",
    "xf": "cell formats",
    "cellStyle": "cell styles",
    "dxf": "conditional format styles",
    "tableStyle": "table styles",
}

VML_FEATURES = {"shape": "VML shapes (comments, controls)"}
COMMENT_FEATURES = {"comment": "comments", "threadedComment": "threaded comments"}

EXTENSIONS = {
    "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}": "data validations (Excel 2010)",
    "{78C0D931-6437-407d-A8EE-F0AAE7AF3867}": "conditional formats (Excel 2010)",
    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "sparklines",
    "{A8765BA9-456A-4dab-B4F3-ACF838C121DE}": "slicers (Excel 2010)",
    "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}": "slicers (Excel 2013)",
}

_EXT_URI = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?ext\b[^>]*?\buri\s*=\s*["']([^"']*)["']""")


def _element_counts(data: bytes | bytearray, names: dict[str, str]) -> Counter[str]:
    pattern = re.compile(
        rb"<(?:[A-Za-z_][\w.-]*:)?(" + b"|".join(re.escape(n.encode()) for n in names) + rb")(?=[\s/>])"
    )
    return Counter(names[m.decode()] for m in pattern.findall(data))


def _outside_sheet_data(data: bytes | bytearray) -> bytes | bytearray:
    start = re.search(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?=[\s/>])", data)
    if start is None:
        return data
    end = data.rfind(b"sheetData>")
    return data[: start.start()] + data[end:] if end > start.start() else data


def extension_label(uri: str) -> str:
    return EXTENSIONS.get(uri, f"extension {uri}")


def _with_extensions(data: bytes | bytearray, names: dict[str, str]) -> Counter[str]:
    counts = _element_counts(data, names)
    counts.update(extension_label(uri.decode("utf-8", "replace")) for uri in _EXT_URI.findall(data))
    return counts


def sheet_features(data: bytes | bytearray) -> Counter[str]:
    """A worksheet's features: element counts and extension URIs."""
    return _with_extensions(_outside_sheet_data(data), SHEET_FEATURES)


def part_features(part: str, data: bytes, role: str = "") -> Counter[str]:
    """The features of a part: `role` "workbook" or "styles" for those
    parts, else drawings, VML drawings and comments by their names."""
    lower = part.lower()
    if role == "workbook":
        return _with_extensions(data, WORKBOOK_FEATURES)
    if role == "styles":
        return _with_extensions(data, STYLES_FEATURES)
    if lower.endswith(".vml"):
        return _element_counts(data, VML_FEATURES)
    if "/drawings/" in lower and lower.endswith(".xml"):
        return _element_counts(data, DRAWING_FEATURES)
    if "comment" in lower.rsplit("/", 1)[-1]:
        return _element_counts(data, COMMENT_FEATURES)
    return Counter()
