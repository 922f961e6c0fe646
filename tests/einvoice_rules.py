"""The official EN 16931 validation rules (Schematron compiled to XSLT), run with saxonche.

They are read from ../shared/einvoice next to the repository, never copied into it; tests that
need them are skipped where that folder is absent."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

RULES = Path(__file__).resolve().parents[1].parent / "shared" / "einvoice" / "en16931"
SVRL = "http://purl.oclc.org/dsdl/svrl"


class Rules:
    """The compiled rule sets, once per test session."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        self._proc = PySaxonProcessor(license=False)
        self._compiled = {}

    def failures(self, syntax: str, xml: bytes) -> list[str]:
        """`BR-CO-15: text` for each failed assert that is not a warning."""
        if syntax not in self._compiled:
            xslt = RULES / syntax / f"EN16931-{syntax.upper()}-validation.xslt"
            self._compiled[syntax] = self._proc.new_xslt30_processor().compile_stylesheet(
                stylesheet_file=str(xslt))
        node = self._proc.parse_xml(xml_text=xml.decode("utf-8"))
        report = self._compiled[syntax].transform_to_string(xdm_node=node)
        tree = etree.fromstring(report.encode("utf-8"))
        out = []
        for fail in tree.iter(f"{{{SVRL}}}failed-assert"):
            if fail.get("flag") == "warning":
                continue
            text = " ".join("".join(fail.itertext()).split())
            out.append(f"{fail.get('id')}: {text}")
        return out
