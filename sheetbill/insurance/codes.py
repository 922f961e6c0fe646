"""The ICD-10-CM code list (the `simple-icd-10-cm` package) behind `core.coding.CodeList`."""

from __future__ import annotations

import simple_icd_10_cm as cm  # type: ignore[import-untyped]

from ..core.coding import BILLABLE, CATEGORY, UNKNOWN


class Icd10Cm:
    """ICD-10-CM as the package ships it: a leaf is a billable code."""

    name = "ICD-10-CM"

    def status(self, code: str) -> str:
        if not cm.is_valid_item(code) or cm.is_chapter_or_block(code):
            return UNKNOWN
        return BILLABLE if cm.is_leaf(code) else CATEGORY

    def describe(self, code: str) -> str:
        return cm.get_description(code) if cm.is_valid_item(code) else ""


CODE_LISTS = {"icd-10-cm": Icd10Cm}
