"""Requests and answers of the fake checked against Xero's own OpenAPI description.

The description is read from the shared folder beside the project (never
copied into it); where it is absent, nothing is checked and the tests that
need it skip.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

SPEC = Path(os.environ.get("SHEETBILL_XERO_OPENAPI",
                           Path(__file__).resolve().parents[3] / "shared" / "xero" / "xero_accounting.yaml"))
HOST = "https://api.xero.com"
# Read-only flags the official SDK's models always send as false (and Xero ignores); they are
# taken out before a request is checked, so that what is checked is what sheetbill sends.
SDK_FLAGS = {"HasAttachments", "HasErrors", "HasValidationErrors", "HasAccount", "IsDiscounted"}


def _without_sdk_flags(value):
    if isinstance(value, dict):
        return {k: _without_sdk_flags(v) for k, v in value.items() if not (k in SDK_FLAGS and v is False)}
    if isinstance(value, list):
        return [_without_sdk_flags(v) for v in value]
    return value


def available() -> bool:
    """The description is beside the project and openapi-core (the test extra) is installed."""
    import importlib.util

    return SPEC.exists() and importlib.util.find_spec("openapi_core") is not None


@lru_cache(maxsize=1)
def _openapi():
    from openapi_core import Config, OpenAPI

    # The description itself breaks a few rules of the OpenAPI schema (string defaults of
    # booleans); it is used as Xero publishes it, without checking the description itself.
    return OpenAPI.from_file_path(str(SPEC), config=Config(spec_validator_cls=None))


def check(method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes,
          status: int, answer: bytes) -> list[str]:
    """What is wrong with this exchange by the description: empty when it conforms."""
    if not available():
        return []
    import json

    from openapi_core.testing import MockRequest, MockResponse

    if body:
        body = json.dumps(_without_sdk_flags(json.loads(body))).encode()
    request = MockRequest(HOST, method.lower(), path, args=query, headers=headers, data=body or None,
                          content_type="application/json" if body else None)
    response = MockResponse(answer, status_code=status, content_type="application/json")
    problems = []
    api = _openapi()
    try:
        api.validate_request(request)
    except Exception as exc:  # openapi-core raises one of many classes; the text says what
        problems.append(f"request {method} {path}: {_why(exc)}")
    if status < 300:
        try:
            api.validate_response(request, response)
        except Exception as exc:
            problems.append(f"answer to {method} {path}: {_why(exc)}")
    return problems


def _why(exc: BaseException) -> str:
    causes = [str(exc)]
    inner = exc.__cause__
    while inner is not None:
        causes.append(str(inner)[:300])
        inner = inner.__cause__
    return " <- ".join(causes)
