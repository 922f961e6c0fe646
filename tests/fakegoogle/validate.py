"""Reject request bodies the bundled discovery documents do not allow.

The schemas come from ``googleapiclient/discovery_cache/documents``
(``sheets.v4.json``, ``drive.v3.json``, ``docs.v1.json``, ``gmail.v1.json``),
loaded on first use and cached.  Unknown field names and values of the wrong
type answer 400 INVALID_ARGUMENT in Google's words; snake_case names are
accepted and normalised to camelCase, as Google's JSON parser does.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import googleapiclient.discovery_cache as _cache

from .errors import ApiError

DOCUMENTS = {"sheets": "sheets.v4", "drive": "drive.v3", "docs": "docs.v1", "gmail": "gmail.v1"}
PACKAGES = {
    "sheets": "google.apps.sheets.v4",
    "docs": "google.apps.docs.v1",
    "gmail": "google.apps.gmail.v1",
    "drive": "google.apps.drive.v3",
}
BODY_FIELDS = {
    "sheets.spreadsheets.values.update": "data",
    "sheets.spreadsheets.values.append": "data",
    "sheets.spreadsheets.create": "spreadsheet",
    "docs.documents.create": "document",
}
SCALAR_TYPES = {
    ("string", None): "TYPE_STRING",
    ("integer", "int32"): "TYPE_INT32",
    ("integer", "uint32"): "TYPE_UINT32",
    ("number", "double"): "TYPE_DOUBLE",
    ("number", "float"): "TYPE_FLOAT",
    ("boolean", None): "TYPE_BOOL",
}
_NUMERIC = re.compile(r"^-?\d+$")


@lru_cache(maxsize=None)
def discovery(api: str) -> dict[str, Any]:
    """The bundled discovery document of an API."""
    folder = Path(_cache.__file__).parent / "documents"
    return json.loads((folder / f"{DOCUMENTS[api]}.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def methods(api: str) -> dict[str, dict[str, Any]]:
    """Every method description of an API by discovery id."""
    found: dict[str, dict[str, Any]] = {}

    def collect(resources: dict[str, Any]) -> None:
        for resource in resources.values():
            for method in resource.get("methods", {}).values():
                found[method["id"]] = method
            collect(resource.get("resources", {}))

    collect(discovery(api).get("resources", {}))
    return found


def request_schema(method_id: str) -> str | None:
    """The schema name of a method's request body, if it takes one."""
    api = method_id.split(".", 1)[0]
    if api not in DOCUMENTS:
        return None
    method = methods(api).get(method_id)
    if not method or "request" not in method:
        return None
    return method["request"]["$ref"]


def check_body(method_id: str, body: Any) -> Any:
    """Validate a JSON body for a method; returns it normalised (camelCase keys)."""
    name = request_schema(method_id)
    if name is None:
        return body
    api = method_id.split(".", 1)[0]
    checker = _Checker(api, discovery(api)["schemas"])
    root = BODY_FIELDS.get(method_id, "")
    result = checker.check(body, {"$ref": name}, root, root)
    if checker.violations:
        raise checker.error()
    return result


@lru_cache(maxsize=None)
def _drive_v2_fields(schema_name: str) -> frozenset[str]:
    """Fields Drive v2 knows for a schema; Drive v3 accepts (and ignores) them too.

    gspread's ``share()`` sends the v2-era ``withLink`` to Drive v3, which
    Google accepts because both versions share one backend message.
    """
    folder = Path(_cache.__file__).parent / "documents"
    schemas = json.loads((folder / "drive.v2.json").read_text(encoding="utf-8"))["schemas"]
    return frozenset(schemas.get(schema_name, {}).get("properties", {}))


def camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


class _Checker:
    def __init__(self, api: str, schemas: dict[str, Any]) -> None:
        self.api = api
        self.schemas = schemas
        self.violations: list[tuple[str, str]] = []

    def error(self) -> ApiError:
        message = "\n".join(description for _, description in self.violations)
        details = [
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [
                    ({"field": field, "description": d} if field else {"description": d})
                    for field, d in self.violations
                ],
            }
        ]
        errors = None
        if self.api in ("drive", "gmail"):
            errors = [{"message": message, "domain": "global", "reason": "invalid"}]
        return ApiError(400, message, "INVALID_ARGUMENT", errors=errors, details=details)

    def check(self, value: Any, schema: dict[str, Any], path: str, proto: str) -> Any:
        if value is None:
            return None
        type_name = None
        if "$ref" in schema:
            type_name = schema["$ref"]
            schema = self.schemas[type_name]
        kind = schema.get("type")
        if kind == "any":
            return value
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._object(value, schema, path, proto, type_name)
        if kind == "array":
            return self._array(value, schema, path, proto)
        return self._scalar(value, schema, path, proto)

    def _object(self, value: Any, schema: dict[str, Any], path: str, proto: str, type_name: str | None) -> Any:
        if not isinstance(value, dict):
            self._bad_value(path, proto, f"type.googleapis.com/{PACKAGES[self.api]}.{type_name or 'Struct'}", value)
            return value
        props = schema.get("properties")
        extra = schema.get("additionalProperties")
        if props is None and extra is None:
            return value
        result: dict[str, Any] = {}
        for key, item in value.items():
            name = key if props and key in props else camel(key)
            if props and name in props:
                result[name] = self.check(item, props[name], _join(path, name), _join(proto, snake(name)))
            elif extra is not None:
                result[key] = self.check(item, extra, _join(path, key), _join(proto, key))
            elif self.api == "drive" and type_name and key in _drive_v2_fields(type_name):
                continue
            else:
                at = f" at '{path}'" if path else ""
                message = f'Invalid JSON payload received. Unknown name "{key}"{at}: Cannot find field.'
                self.violations.append((proto, message))
        return result

    def _array(self, value: Any, schema: dict[str, Any], path: str, proto: str) -> Any:
        items = schema.get("items", {"type": "any"})
        if not isinstance(value, list):
            nested = items.get("type") == "array"
            type_desc = "type.googleapis.com/google.protobuf.ListValue" if nested else self._describe(items)
            self._bad_value(path, proto, type_desc, value)
            return value
        return [self.check(item, items, f"{path}[{i}]", f"{proto}[{i}]") for i, item in enumerate(value)]

    def _scalar(self, value: Any, schema: dict[str, Any], path: str, proto: str) -> Any:
        kind, fmt = schema.get("type"), schema.get("format")
        ok = True
        if kind == "boolean":
            ok = isinstance(value, bool)
        elif kind == "integer":
            ok = (isinstance(value, int) and not isinstance(value, bool)) or (
                isinstance(value, float) and value.is_integer()
            ) or (isinstance(value, str) and bool(_NUMERIC.match(value)))
        elif kind == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if isinstance(value, str):
                try:
                    float(value)
                    ok = True
                except ValueError:
                    ok = False
        elif kind == "string":
            if fmt in ("int64", "uint64") and isinstance(value, int) and not isinstance(value, bool):
                return str(value)
            ok = isinstance(value, str)
            if ok and schema.get("enum") and value not in schema["enum"]:
                ok = False
        if not ok:
            self._bad_value(path, proto, self._describe(schema), value)
            return value
        if kind == "integer" and not isinstance(value, int):
            return int(float(value))
        if kind == "number" and isinstance(value, str):
            return float(value)
        return value

    def _describe(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            return f"type.googleapis.com/{PACKAGES[self.api]}.{schema['$ref']}"
        if schema.get("enum"):
            return "TYPE_ENUM"
        if schema.get("format") in ("int64", "uint64"):
            return "TYPE_INT64"
        return SCALAR_TYPES.get((schema.get("type"), schema.get("format")), "TYPE_STRING")

    def _bad_value(self, path: str, proto: str, type_desc: str, value: Any) -> None:
        shown = json.dumps(value, ensure_ascii=False)
        self.violations.append((proto, f"Invalid value at '{path}' ({type_desc}), {shown}"))


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
