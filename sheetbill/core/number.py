"""The one way to make money values: Decimal from text, rounded half-up."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

_CURRENCY = re.compile(r"[€$£¥]|\b(?:EUR|USD|GBP|CHF|CAD|AUD|SEK|NOK|DKK|PLN|CZK)\b", re.I)


def D(value: object) -> Decimal:
    """Decimal from a cell's text or an int/Decimal; floats are refused.

    Accepts `12.50`, `1,234.50`, `1.234,50`, `12,50`, `€ 12.50`, `-5`, `(5.00)`.
    Raises ValueError with the offending text.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a number: {value}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError("money is never a float; pass the cell's text")
    text = str(value).strip()
    original = text
    text = _CURRENCY.sub("", text).replace("\u00a0", "").replace(" ", "").replace("'", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    text = _normalise_separators(text)
    if not re.fullmatch(r"\d+(\.\d+)?|\.\d+", text):
        raise ValueError(f"not a number: {original!r}")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex above rules it out
        raise ValueError(f"not a number: {original!r}") from None
    return -number if negative else number


def _normalise_separators(text: str) -> str:
    """`1,234.50` / `1.234,50` / `12,50` -> `1234.50` / `1234.50` / `12.50`."""
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    if "," in text:
        head, _, tail = text.rpartition(",")
        if text.count(",") == 1 and len(tail) != 3:
            return f"{head}.{tail}"
        return text.replace(",", "")
    return text


def money(value: Decimal, minor: Decimal = CENT) -> Decimal:
    """Round half-up to the currency's minor unit (0.01, or 1 for JPY).

    Zero has no sign: -0.00 (a zero tax negated for a credit note, -0.004
    rounded) comes back as 0.00, so no document or file ever prints "-0.00".
    """
    rounded = value.quantize(minor, rounding=ROUND_HALF_UP)
    return rounded if rounded else rounded.copy_abs()


def percent(value: object) -> Decimal:
    """A percentage as a number of percent: `19%` -> 19, `19` -> 19, `0` -> 0.

    A number below 1 without a `%` sign is a fraction, as Excel and Sheets store
    percent-formatted cells: 0.19 -> 19. Write `0.5%` for half a percent.
    """
    if isinstance(value, str) and value.strip().endswith("%"):
        return D(value.strip()[:-1])
    number = D(value)
    if ZERO < abs(number) < 1:
        return number * HUNDRED
    return number


def fmt(value: Decimal, minor: Decimal = CENT) -> str:
    """Plain text of an amount with the minor unit's places: 1234.5 -> '1234.50'."""
    return str(money(value, minor))


def shares(total: Decimal, exact: list[Decimal], minor: Decimal) -> list[Decimal]:
    """`total` split in proportion to `exact` by largest remainder, each a multiple of `minor`."""
    if len(exact) == 1:  # all of it (what the loop below comes to)
        return [total]
    parts = [e.quantize(minor, rounding=ROUND_DOWN) for e in exact]  # toward zero
    left = total - sum(parts, ZERO)
    order = sorted(range(len(exact)), key=lambda k: (-(exact[k] - parts[k]), k))
    step = minor if left >= 0 else -minor
    k = 0
    while left != 0 and order:
        parts[order[k % len(order)]] += step
        left -= step
        k += 1
    return parts
