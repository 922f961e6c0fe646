"""The placeholders `sheetbill init` leaves for the practice's own details.

Nothing is sent while one is left: an invoice with another practice's name,
bank account or tax id would be worse than none. `check` names the keys;
`run` refuses with the same sentence.
"""

from __future__ import annotations

from .config import Config
from .errors import ConfigError

MARKER = "change-me"  # in every placeholder, any case

# The example practice (the demo's, and the tests'): placeholder text -> its value.
EXAMPLE = {
    "CHANGE-ME Practice Name": "Lindenhof Lymph & Physio",
    "CHANGE-ME Street 1": "Lindenstraße 12",
    "CHANGE-ME 12345 City": "10969 Berlin",
    "billing@change-me.invalid": "billing@lindenhof-physio.example",
    "CHANGE-ME phone": "+49 30 1234 5678",
    "CHANGE-ME tax id": "DE123456789",
    "CHANGE-ME IBAN and BIC": "IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX",
    "holder: CHANGE-ME account holder": "holder: Lindenhof Lymph & Physio",
    'iban: ""  ': "iban: DE89 3704 0044 0532 0130 00",
    'bic: ""   ': "bic: COBADEFFXXX",
}


def placeholder_keys(config: Config) -> list[str]:
    """The config keys that still hold a placeholder."""
    p = config.practice
    values = {"practice.name": p.name, "practice.address": p.address, "practice.email": p.email,
              "practice.phone": p.phone, "practice.tax_id": p.tax_id, "practice.bank": p.bank,
              "practice.website": p.website, "practice.payment_note": p.payment_note,
              "payments.account.holder": p.account_holder, "email.from": config.email.sender}
    if config.email.smtp is not None:
        values["email.smtp.username"] = config.email.smtp.username
    return [key for key, value in values.items() if MARKER in (value or "").lower()]


def placeholder_finding(config: Config) -> str | None:
    keys = placeholder_keys(config)
    if not keys:
        return None
    return (f"{config.path.name}: {', '.join(keys)}: still the placeholder (CHANGE-ME) `sheetbill init` wrote; "
            "fill in the practice's own details (or empty a line you do not need). Nothing is sent until then")


def refuse_placeholders(config: Config) -> None:
    """ConfigError while the practice's details are placeholders."""
    finding = placeholder_finding(config)
    if finding:
        raise ConfigError(finding)


def fill_example(text: str) -> str:
    """A config's text with the example practice's details instead of the placeholders."""
    for placeholder, value in EXAMPLE.items():
        text = text.replace(placeholder, value)
    return text
