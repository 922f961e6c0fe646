"""A client's Tax ID checked offline as an EU VAT ID, and the config's `vat:` section."""

import pytest

from sheetbill.book.vat_id import vat_id_problem
from sheetbill.config import load
from sheetbill.errors import ConfigError


@pytest.mark.parametrize("tax_id, problem", [
    ("DE136695976", ""),
    ("DE 136 695 976", ""),
    ("FR40303265045", ""),
    ("ATU13585627", ""),
    ("DE136695977", "Tax ID 'DE136695977' fails its check digits"),
    ("12345", "Tax ID '12345' is not a VAT ID of an EU country (e.g. FR40303265045)"),
    ("US123456789", "Tax ID 'US123456789' is not a VAT ID of an EU country (e.g. FR40303265045)"),
    ("", "the client has no Tax ID (their VAT ID, e.g. FR40303265045)"),
])
def test_vat_ids_are_checked_by_format_and_check_digits(tax_id, problem):
    assert vat_id_problem(tax_id) == problem


def config(tmp_path, vat: str):
    path = tmp_path / "sheetbill.yaml"
    path.write_text(f"workbook: practice.xlsx\npractice: {{name: Lindenhof, email: praxis@example.com}}\nvat:\n{vat}\n")
    return path


def test_the_vat_section_becomes_the_billing_rules(tmp_path):
    rules = load(config(tmp_path, "  prices: gross\n  zero_rate: O\n  exemption_reason: § 4 Nr. 14")).rules.vat
    assert (rules.gross_prices, rules.zero_rate, rules.exemption_reason, rules.small_business) == (
        True, "O", "§ 4 Nr. 14", False)


@pytest.mark.parametrize("vat, message", [
    ("  zero_rate: S", "vat.zero_rate"),
    ("  prices: brutto", "vat.prices"),
    ("  small_busines: true", "small_busines"),
])
def test_a_wrong_vat_setting_names_its_key(tmp_path, vat, message):
    with pytest.raises(ConfigError, match=message):
        load(config(tmp_path, vat))
