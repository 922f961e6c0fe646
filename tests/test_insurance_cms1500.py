"""The CMS-1500's box 2 (patient's name, LAST, FIRST) from the Clients tab's Name."""

from __future__ import annotations

import pytest

from sheetbill.insurance.cms1500 import _last_first


@pytest.mark.parametrize("name, box", [
    ("Emma Stone", "Stone, Emma"),
    ("Mary Ann  de la Cruz", "Cruz, Mary Ann de la"),
    ("Stone, Emma", "Stone, Emma"),  # typed last name first, as many US practices keep their lists
    ("Stone,Emma", "Stone, Emma"),
    ("  Stone ,  Emma Rose ", "Stone, Emma Rose"),
    ("Madonna", "Madonna"),
])
def test_the_patients_name_last_name_first(name, box):
    assert _last_first(name) == box
