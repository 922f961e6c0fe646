"""Open Packaging Conventions: relationships, part names and small XML parts.

Part names are zip member names without the leading slash. Relationship
targets are resolved against their source part; lookups of members are
case-insensitive, as OPC requires.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from .errors import BrokenWorkbook

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

WORKSHEET_TYPE = REL_NS + "/worksheet"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


@dataclass(frozen=True)
class Relationship:
    """One `<Relationship>`: `part` is the resolved target part name, or the
    raw target for an external one."""

    id: str
    type: str
    target: str
    part: str
    external: bool


def parse_xml(data: bytes, part: str) -> etree._Element:
    """The root element of a small XML part; a clear error if it is not XML."""
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise BrokenWorkbook(f"the part {part} is not well-formed XML ({exc})") from exc


def local(tag: object) -> str:
    """An element's tag without its namespace (empty for comments and PIs)."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace(node: etree._Element) -> str:
    """The namespace URI of an element's tag."""
    return etree.QName(node).namespace or ""


def rels_part(part: str) -> str:
    """The relationships part of a part: `xl/workbook.xml` -> `xl/_rels/workbook.xml.rels`."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def rels_source(rels: str) -> str:
    """The part a relationships part belongs to: the inverse of `rels_part`."""
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def resolve(source: str, target: str) -> str:
    """The part name a relationship target points to from `source`."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target[1:])
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def parse_rels(data: bytes, source: str) -> list[Relationship]:
    """The relationships of `source`, from its .rels part's bytes."""
    found = []
    for node in parse_xml(data, rels_part(source)):
        if local(node.tag) != "Relationship":
            continue
        target = node.get("Target", "")
        external = node.get("TargetMode") == "External"
        part = target if external else resolve(source, target)
        found.append(Relationship(node.get("Id", ""), node.get("Type", ""), target, part, external))
    return found
