"""The number formats of a workbook's cell styles, as far as reading needs them."""

from __future__ import annotations

from dataclasses import dataclass

from .numfmt import DateKind, NumberKind, format_kind, number_kind
from .opc import local, parse_xml
from .package import Package

STYLES_SUFFIX = "/styles"


@dataclass(frozen=True)
class NumberFormats:
    """The number format id of each cell style (`cellXfs` index), and the
    codes of the workbook's own formats."""

    xf_formats: tuple[int, ...]
    custom: dict[int, str]

    def kind(self, style: int) -> DateKind | None:
        """Whether style number `style` shows dates, date-times, or neither."""
        if 0 <= style < len(self.xf_formats):
            return format_kind(self.xf_formats[style], self.custom)
        return None

    def format_id(self, style: int) -> int:
        return self.xf_formats[style] if 0 <= style < len(self.xf_formats) else 0

    def number_styles(self) -> dict[str, NumberKind]:
        """Style numbers (as they appear in `s="..."`) under which a number reads as
        something else: a date, a date-time, a percentage (see `number_kind`)."""
        found: dict[str, NumberKind] = {}
        for index, num_fmt_id in enumerate(self.xf_formats):
            kind = number_kind(num_fmt_id, self.custom)
            if kind:
                found[str(index)] = kind
        return found


def styles_part(package: Package) -> str | None:
    """The workbook's styles part, if it has one."""
    rel = next(package.related(package.workbook_part, STYLES_SUFFIX), None)
    return rel.part if rel and package.has(rel.part) else None


def read_number_formats(package: Package) -> NumberFormats:
    """The number formats of `package`'s styles (none if it has no styles part)."""
    part = styles_part(package)
    return NumberFormats((), {}) if part is None else parse_number_formats(package.read(part), part)


def parse_number_formats(data: bytes, part: str) -> NumberFormats:
    """The number formats of a styles part's bytes."""
    root = parse_xml(data, part)
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    for section in root:
        name = local(section.tag)
        if name == "numFmts":
            for node in section:
                if local(node.tag) == "numFmt":
                    custom[_int(node.get("numFmtId"))] = node.get("formatCode", "")
        elif name == "cellXfs":
            xf_formats.extend(_int(node.get("numFmtId")) for node in section if local(node.tag) == "xf")
    return NumberFormats(tuple(xf_formats), custom)


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0
