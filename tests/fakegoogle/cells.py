"""One spreadsheet cell: what was entered, what it shows, how it renders.

``USER_ENTERED`` input is parsed like typing into the Sheets UI (numbers,
percentages, dates, booleans, ``=formulas``, a leading ``'`` keeps text);
``RAW`` input is stored as given.  Formulas are evaluated once, when written:
arithmetic, string literals, ``&``, single-cell references and
``HYPERLINK``; anything else shows ``#NAME?``.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Callable

Value = str | int | float | bool | None
JsonDict = dict[str, Any]
EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True, slots=True)
class Cell:
    """An immutable cell; ``value`` is the effective value (None = blank)."""

    value: Value = None
    formula: str | None = None
    fmt: JsonDict | None = None
    note: str | None = None
    rule: JsonDict | None = None
    error: bool = False

    @property
    def blank(self) -> bool:
        return self.value is None and self.formula is None

    @property
    def empty(self) -> bool:
        return self.blank and not self.fmt and self.note is None and self.rule is None

    @property
    def number_format(self) -> JsonDict | None:
        return (self.fmt or {}).get("numberFormat")

    def with_value(self, value: Value, formula: str | None = None, error: bool = False) -> Cell:
        return replace(self, value=value, formula=formula, error=error)


# ---------------------------------------------------------------- input

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PERCENT = re.compile(r"^([+-]?(\d+\.?\d*|\.\d+))%$")
_CURRENCY = re.compile(r"^([+-]?)\$(\d{1,3}(,\d{3})*(\.\d+)?|\d+(\.\d+)?)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")

Lookup = Callable[[str], Value]


Parsed = tuple[Value, str | None, JsonDict | None, bool]


def from_input(raw: Any, user_entered: bool, lookup: Lookup | None = None) -> Parsed:
    """Turn one input value into (value, formula, numberFormat, error)."""
    if isinstance(raw, bool):
        return raw, None, None, False
    if isinstance(raw, (int, float)):
        return _num(raw), None, None, False
    if raw is None:
        return None, None, None, False
    text = str(raw)
    if text == "":
        return None, None, None, False
    if not user_entered:
        return text, None, None, False
    return parse_typed(text, lookup)


def parse_typed(text: str, lookup: Lookup | None = None) -> Parsed:
    """Parse text as if typed into a cell."""
    if text.startswith("=") and len(text) > 1:
        value, error = evaluate(text, lookup)
        return value, text, None, error
    if text.startswith("'"):
        return text[1:] or None, None, None, False
    stripped = text.strip()
    upper = stripped.upper()
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE", None, None, False
    if _NUMBER.match(stripped):
        return _num(float(stripped)), None, None, False
    if _GROUPED.match(stripped):
        pattern = "#,##0.00" if "." in stripped else "#,##0"
        return _num(float(stripped.replace(",", ""))), None, {"type": "NUMBER", "pattern": pattern}, False
    match = _PERCENT.match(stripped)
    if match:
        decimals = len(match.group(1).partition(".")[2])
        pattern = "0%" if not decimals else "0." + "0" * decimals + "%"
        return _num(float(match.group(1)) / 100), None, {"type": "PERCENT", "pattern": pattern}, False
    match = _CURRENCY.match(stripped)
    if match:
        amount = float(match.group(2).replace(",", "")) * (-1 if match.group(1) == "-" else 1)
        return _num(amount), None, {"type": "CURRENCY", "pattern": '"$"#,##0.00'}, False
    parsed = _parse_date(stripped)
    if parsed is not None:
        return parsed
    return text, None, None, False


def _parse_date(text: str) -> tuple[Value, None, JsonDict, bool] | None:
    try:
        match = _ISO_DATETIME.match(text)
        if match:
            y, mo, d, h, mi, s = (int(g or 0) for g in match.groups())
            moment = datetime(y, mo, d, h, mi, s)
            return _num(serial(moment)), None, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}, False
        match = _ISO_DATE.match(text)
        if match:
            moment = datetime(*(int(g) for g in match.groups()))
            return _num(serial(moment)), None, {"type": "DATE", "pattern": "yyyy-mm-dd"}, False
        match = _US_DATE.match(text)
        if match:
            mo, d, y = (int(g) for g in match.groups())
            return _num(serial(datetime(y, mo, d))), None, {"type": "DATE", "pattern": "M/d/yyyy"}, False
        match = _TIME.match(text)
        if match:
            h, mi, s = (int(g or 0) for g in match.groups())
            if h < 24 and mi < 60 and s < 60:
                return _num((h * 3600 + mi * 60 + s) / 86400), None, {"type": "TIME", "pattern": "h:mm:ss am/pm"}, False
    except ValueError:
        return None
    return None


def serial(moment: datetime | date) -> float:
    """Sheets' serial number: days since 1899-12-30."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    delta = moment - EPOCH
    return delta.days + delta.seconds / 86400


def from_serial(number: float) -> datetime:
    return EPOCH + timedelta(days=number)


def _num(value: float) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


# ---------------------------------------------------------------- formulas

_OPS: dict[type, Callable[..., Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_HYPERLINK = re.compile(r'^=HYPERLINK\(\s*"([^"]*)"\s*(?:[,;]\s*"([^"]*)"\s*)?\)$', re.I)
_REF = re.compile(r"(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_]*)?!?\$?[A-Za-z]{1,3}\$?\d+")


def evaluate(formula: str, lookup: Lookup | None = None) -> tuple[Value, bool]:
    """Evaluate a formula once; returns (value, is_error)."""
    link = _HYPERLINK.match(formula)
    if link:
        return (link.group(2) if link.group(2) is not None else link.group(1)), False
    body = formula[1:]
    refs: dict[str, Value] = {}

    def swap(match: re.Match[str]) -> str:
        if lookup is None:
            raise ValueError("no references")
        name = f"_r{len(refs)}"
        refs[name] = lookup(match.group(0))
        return name

    try:
        expression = re.sub(
            r'"[^"]*"|' + _REF.pattern, lambda m: m.group(0) if m.group(0).startswith('"') else swap(m), body
        )
        expression = expression.replace("^", "**").replace("&", "+")
        tree = ast.parse(expression, mode="eval")
        value = _eval(tree.body, refs)
    except ZeroDivisionError:
        return "#DIV/0!", True
    except (ValueError, SyntaxError, TypeError, KeyError):
        return "#NAME?" if "(" in body else "#VALUE!", True
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return "#NUM!", True
    return (_num(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value), False


def _eval(node: ast.AST, refs: dict[str, Value]) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)):
        return node.value
    if isinstance(node, ast.Name) and node.id in refs:
        value = refs[node.id]
        return 0 if value is None else value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        left, right = _eval(node.left, refs), _eval(node.right, refs)
        if isinstance(left, str) or isinstance(right, str):
            if isinstance(node.op, ast.Add):
                return f"{display(left)}{display(right)}"
            raise ValueError("text in arithmetic")
        return _OPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.operand, refs))
    raise ValueError("unsupported formula")


# ---------------------------------------------------------------- output

def general(number: int | float) -> str:
    """Format a number the way an unformatted Sheets cell shows it."""
    if isinstance(number, bool):
        return "TRUE" if number else "FALSE"
    if isinstance(number, int) or (isinstance(number, float) and number.is_integer() and abs(number) < 1e15):
        return str(int(number))
    text = format(number, ".15g")
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}E{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


def display(value: Value, number_format: JsonDict | None = None) -> str:
    """The formatted value of a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    kind = (number_format or {}).get("type")
    pattern = (number_format or {}).get("pattern", "")
    if kind in ("DATE", "DATE_TIME", "TIME"):
        return format_date(from_serial(value), pattern or _DEFAULT_PATTERNS[kind])
    if kind == "PERCENT":
        decimals = len(pattern.partition(".")[2].rstrip("%")) if "." in pattern else 0
        return f"{value * 100:.{decimals}f}%"
    if kind == "CURRENCY":  # the pattern's own sign (`"€"#,##0.00`), else the dollar
        if _TEXT_IN_PATTERN.search(pattern):
            return ("-" if value < 0 else "") + _with_text(abs(value), pattern)
        return f"{'-' if value < 0 else ''}${abs(value):,.2f}"
    if kind == "NUMBER" and _TEXT_IN_PATTERN.search(pattern):
        return _with_text(value, pattern)
    if pattern.startswith("#,##0"):
        decimals = len(pattern.partition(".")[2]) if "." in pattern else 0
        return f"{value:,.{decimals}f}"
    if kind == "NUMBER" and pattern.startswith("0"):
        decimals = len(pattern.partition(".")[2]) if "." in pattern else 0
        return f"{value:.{decimals}f}"
    return general(value)


_TEXT_IN_PATTERN = re.compile(r'"([^"]*)"|\\(.)')
_PATTERN_PIECE = re.compile(r'"([^"]*)"|\\(.)|([^"\\]+)')


def _with_text(value: Value, pattern: str) -> str:
    """A NUMBER pattern with text in quotes or escaped before or after the number:
    `0"%"` and `0\\%` show 10 as `10%`, `#,##0.00" kg"` shows 1234.5 as `1,234.50 kg`."""
    before: list[str] = []
    after: list[str] = []
    number: list[str] = []
    for piece in _PATTERN_PIECE.finditer(pattern):
        text = piece.group(1) if piece.group(1) is not None else piece.group(2)
        if text is None:
            number.append(piece.group(3))
        else:
            (after if number else before).append(text)
    shown = display(value, {"type": "NUMBER", "pattern": "".join(number)})
    return f"{''.join(before)}{shown}{''.join(after)}"


_DEFAULT_PATTERNS = {"DATE": "M/d/yyyy", "DATE_TIME": "M/d/yyyy H:mm:ss", "TIME": "h:mm:ss am/pm"}
_DATE_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm", re.I)


def format_date(moment: datetime, pattern: str) -> str:
    """Format a date with a Sheets pattern (the common tokens only)."""
    out: list[str] = []
    pos = 0
    seen_hour = False
    ampm = "am/pm" in pattern.lower()
    for match in _DATE_TOKEN.finditer(pattern):
        out.append(pattern[pos : match.start()])
        pos = match.end()
        token = match.group(0)
        low = token.lower()
        if low == "yyyy":
            out.append(f"{moment.year:04d}")
        elif low == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif low in ("mm", "m"):
            value = moment.minute if seen_hour else moment.month
            out.append(f"{value:02d}" if low == "mm" else str(value))
        elif low == "mmmm":
            out.append(moment.strftime("%B"))
        elif low == "mmm":
            out.append(moment.strftime("%b"))
        elif low in ("dd", "d"):
            out.append(f"{moment.day:02d}" if low == "dd" else str(moment.day))
        elif low in ("dddd", "ddd"):
            out.append(moment.strftime("%A" if low == "dddd" else "%a"))
        elif low in ("hh", "h"):
            seen_hour = True
            hour = moment.hour % 12 or 12 if ampm else moment.hour
            out.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low in ("ss", "s"):
            out.append(f"{moment.second:02d}" if low == "ss" else str(moment.second))
        elif low == "am/pm":
            out.append("AM" if moment.hour < 12 else "PM")
    out.append(pattern[pos:])
    return "".join(out)


def render(cell: Cell | None, value_option: str, date_option: str = "SERIAL_NUMBER") -> Value:
    """A cell as values.get renders it for a valueRenderOption."""
    if cell is None or cell.blank:
        return ""
    if value_option == "FORMULA" and cell.formula:
        return cell.formula
    if value_option in ("UNFORMATTED_VALUE", "FORMULA"):
        number_format = cell.number_format or {}
        if (
            date_option == "FORMATTED_STRING"
            and number_format.get("type") in ("DATE", "DATE_TIME", "TIME")
            and isinstance(cell.value, (int, float))
        ):
            return display(cell.value, number_format)
        return cell.value
    return display(cell.value, cell.number_format)


def typed_value(value: Value, error: bool = False) -> JsonDict:
    """An ExtendedValue object for a value."""
    if error:
        return {"errorValue": {"type": "ERROR", "message": str(value)}}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    return {"stringValue": "" if value is None else value}


def cell_data(cell: Cell) -> JsonDict:
    """The CellData JSON of a cell (as spreadsheets.get returns it)."""
    out: JsonDict = {}
    if not cell.blank:
        out["userEnteredValue"] = {"formulaValue": cell.formula} if cell.formula else typed_value(cell.value)
        out["effectiveValue"] = typed_value(cell.value, cell.error)
        out["formattedValue"] = display(cell.value, cell.number_format)
    if cell.fmt:
        out["userEnteredFormat"] = with_styles(cell.fmt)
    if cell.note is not None:
        out["note"] = cell.note
    if cell.rule:
        out["dataValidation"] = cell.rule
    return out


_COLOR_KEYS = ("backgroundColor", "foregroundColor", "color")


def with_styles(fmt: JsonDict) -> JsonDict:
    """Mirror ``xColor`` fields into ``xColorStyle`` as Google does in output."""
    out: JsonDict = {}
    for key, value in fmt.items():
        out[key] = with_styles(value) if isinstance(value, dict) else value
    for key in _COLOR_KEYS:
        if isinstance(fmt.get(key), dict) and f"{key}Style" not in fmt:
            out[f"{key}Style"] = {"rgbColor": fmt[key]}
    return out
