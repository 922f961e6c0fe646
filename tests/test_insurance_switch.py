"""`init --google --insurance` switches superbills on in the admin's own config
without touching anything else in it."""

from __future__ import annotations

import pytest

from sheetbill.app import EXAMPLE_CONFIG
from sheetbill.insurance.switch import switch_on


@pytest.mark.parametrize("before, after, said", [
    (EXAMPLE_CONFIG.read_text(encoding="utf-8"), "insurance:\n  enabled: true ", "switched superbills on"),
    ("practice:\n  name: X\n", "practice:\n  name: X\n\ninsurance:", "switched superbills on"),
    ("insurance:\n  npi: \"1234567893\"\n", None, "set `enabled: true` in the insurance: section"),
])
def test_switch_on(tmp_path, before, after, said):
    path = tmp_path / "sheetbill.yaml"
    path.write_text(before, encoding="utf-8")
    assert said in switch_on(path)
    text = path.read_text(encoding="utf-8")
    if after is None:
        assert text == before
    else:
        assert after in text and [line[:10] for line in text.splitlines()].count("insurance:") == 1
        assert len(text.splitlines()) - len(before.splitlines()) in (0, 7)  # one line changed, or a section added
