"""A superbill's data printed in the boxes of the CMS-1500 (02/12) claim form,
"data only" (for the red pre-printed form), from the coordinates map
`templates/cms1500.yaml`.

Only lines with a diagnosis and a procedure code go on it (`claim_lines`: a
line without either is one no payer accepts; the command names those it
leaves out). Six service lines to a form, fewer when their diagnoses would
not fit box 21's twelve; more make more forms, each standing alone (its own
diagnoses A-L, at most four pointers a line, its own totals). Text is upper
case and amounts are written as the form wants them (`  180 00`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..core.number import money
from ..core.superbill import SuperbillDocument, SuperbillLine
from ..render.base import DocumentType
from ..render.errors import RenderError

CHAR_MM, LINE_MM = 25.4 / 10, 25.4 / 6  # the form's grid: 10 characters and 6 lines per inch
BOX_21 = 12  # diagnoses A-L
RELATIONS = {"self": "relation_self", "spouse": "relation_spouse", "child": "relation_child"}


@dataclass(frozen=True)
class FormMap:
    origin: tuple[float, float]
    font_pt: float
    fields: dict[str, tuple[int, int, int]]
    diagnoses: dict[str, int]
    lines: dict[str, Any]


def load_map(path: Path) -> FormMap:
    """The coordinates map; RenderError naming the file when it cannot be used."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        origin = data.get("origin_mm") or {}
        return FormMap((float(origin.get("x", 0)), float(origin.get("y", 0))), float(data.get("font_pt", 10)),
                       {k: (int(v[0]), int(v[1]), int(v[2])) for k, v in data["fields"].items()},
                       {k: int(v) for k, v in data["diagnoses"].items()}, dict(data["service_lines"]))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise RenderError(f"{path.name}: not a usable CMS-1500 coordinates map ({exc})") from None


def cms1500_type(form: FormMap) -> DocumentType[SuperbillDocument]:
    return DocumentType("cms1500", lambda doc: _context(doc, form), lambda doc: doc.superbill.today,
                        lambda doc: "cms1500\n" + repr(doc))


def claim_lines(lines: Sequence[SuperbillLine]) -> tuple[tuple[SuperbillLine, ...], tuple[SuperbillLine, ...]]:
    """The lines that go on the claim form (a diagnosis and a procedure code), and those left out."""
    def fits(line: SuperbillLine) -> bool:
        return bool(line.pointers and line.procedure_code.strip())
    return tuple(line for line in lines if fits(line)), tuple(line for line in lines if not fits(line))


def _context(doc: SuperbillDocument, form: FormMap) -> dict[str, Any]:
    per_form = int(form.lines["per_form"])
    lines, _ = claim_lines(doc.superbill.lines)
    return {"client_id": doc.client.client_id, "font_pt": form.font_pt,
            "forms": [_page(doc, chunk, form) for chunk in forms(lines, per_form)]}


def forms(lines: Sequence[SuperbillLine], per_form: int) -> list[tuple[SuperbillLine, ...]]:
    """The lines, in order, by form: a new form after `per_form` lines, or before a line whose
    diagnoses would take box 21 past its twelve (A-L); never none."""
    out: list[tuple[SuperbillLine, ...]] = []
    chunk: list[SuperbillLine] = []
    used: set[str] = set()
    for line in lines:
        if chunk and (len(chunk) >= per_form or len(used | set(line.pointers)) > BOX_21):
            out.append(tuple(chunk))
            chunk, used = [], set()
        chunk.append(line)
        used |= set(line.pointers)
    if chunk or not out:
        out.append(tuple(chunk))
    return out


def _page(doc: SuperbillDocument, lines: tuple[SuperbillLine, ...], form: FormMap) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []

    def put(line: int, column: int, width: int, value: str, right: bool = False) -> None:
        text = " ".join(str(value).split()).upper()[:width]
        if text:
            items.append({"x_mm": round(form.origin[0] + (column - 1) * CHAR_MM, 2),
                          "y_mm": round(form.origin[1] + (line - 1) * LINE_MM, 2),
                          "width_mm": round(width * CHAR_MM, 2), "text": text, "right": right})

    def field(name: str, value: str, right: bool = False) -> None:
        if name in form.fields:
            put(*form.fields[name], value, right)

    client, insured, ids, practice = doc.client, doc.insured, doc.ids, doc.practice
    patient = _last_first(client.name)
    street, city = _address(client.address)
    field("payer_name", insured.insurer)
    field("type_group" if insured.group_no else "type_other", "X")
    field("insured_id", insured.member_id)
    field("patient_name", patient)
    if insured.date_of_birth:
        born = insured.date_of_birth
        field("birth_month", f"{born.month:02d}")
        field("birth_day", f"{born.day:02d}")
        field("birth_year", f"{born.year}")
    relation = insured.relationship.strip().lower()
    field(RELATIONS.get(relation, "relation_other") if relation else "", "X")
    if relation == "self":
        field("insured_name", patient)
        field("insured_street", street)
        field("insured_city", city)
    field("patient_street", street)
    field("patient_city", city)
    field("group_no", insured.group_no)
    for name in ("employment_no", "auto_accident_no", "other_accident_no", "other_plan_no", "assignment_no"):
        field(name, "X")
    field("plan_name", insured.insurer)
    field("icd_indicator", "0")
    field("federal_tax_id", ids.ein.replace("-", ""))
    if ids.ein:
        field("tax_id_is_ein", "X")
    field("account_no", client.client_id)
    home, town = _address(practice.address)
    for box in ("facility", "billing"):
        field(f"{box}_name", practice.name)
        field(f"{box}_street", home)
        field(f"{box}_city", town)
        field(f"{box}_npi", ids.npi)
    letters = _diagnoses(doc, lines, form, put)
    columns = {k: (int(v[0]), int(v[1])) for k, v in form.lines["columns"].items()}
    for n, line in enumerate(lines):
        row = int(form.lines["first_line"]) + n * int(form.lines["line_step"])

        def cell(name: str, value: str, right: bool = False, row: int = row) -> None:
            if name in columns:
                put(row, *columns[name], value, right)
        for side in ("from", "to"):
            cell(f"{side}_month", f"{line.date.month:02d}")
            cell(f"{side}_day", f"{line.date.day:02d}")
            cell(f"{side}_year", f"{line.date.year % 100:02d}")
        cell("place_of_service", line.place_of_service)
        cell("procedure", line.procedure_code)
        for i, modifier in enumerate(line.modifiers[:4], start=1):
            cell(f"modifier_{i}", modifier)
        pointers = [letters[p] for p in line.pointers if p in letters]
        cell("pointers", "".join(pointers[:4]))
        cell("charge", _amount(line.charge), right=True)
        cell("units", f"{line.units.normalize():f}")
        cell("rendering_npi", line.provider.npi if line.provider else "")
    field("total_charge", _amount(sum((line.charge for line in lines), Decimal(0))), right=True)
    field("amount_paid", _amount(sum((line.paid for line in lines), Decimal(0))), right=True)
    return items


def _diagnoses(doc: SuperbillDocument, lines, form: FormMap, put) -> dict[str, str]:
    """Box 21 of this form: its lines' diagnoses, lettered A-L again; superbill letter -> form letter."""
    codes = {d.pointer: d.code for d in doc.superbill.diagnoses}
    out: dict[str, str] = {}
    used: list[str] = []
    for line in lines:
        for pointer in line.pointers:
            if pointer not in out and len(used) < BOX_21:
                out[pointer] = "ABCDEFGHIJKL"[len(used)]
                used.append(codes.get(pointer, ""))
    d = form.diagnoses
    for i, code in enumerate(used):
        put(d["line"] + i // 4, d["column"] + d["column_step"] * (i % 4), d["characters"], code.replace(".", ""))
    return out


def _amount(value: Decimal) -> str:
    """`180.00` -> `  180 00`: the form's dollars and cents columns."""
    return f"{money(value):8.2f}".replace(".", " ")


def _last_first(name: str) -> str:
    """Box 2's LAST, FIRST: `Emma Stone` -> `Stone, Emma`; a name typed last name first (`Stone, Emma`)
    stays as it is."""
    if "," in name:
        last, _, first = name.partition(",")
        return f"{' '.join(last.split())}, {' '.join(first.split())}" if first.strip() else " ".join(last.split())
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def _address(text: str) -> tuple[str, str]:
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    return (lines[0] if lines else "", ", ".join(lines[1:]))
