"""A small control API under ``/__fake__/`` for driving a standalone server.

``GET calls`` (request counts), ``POST reset``, ``POST faults`` with
``{"kind": "rate_limit"|"server_error"|"delay"|"drop_after_write",
"times", "match", "status", "seconds"}``, ``DELETE faults``,
``POST spreadsheets`` with ``{"title", "tabs": {"Sheet1": [[...]]}}`` and
``POST documents`` with ``{"title", "blocks": [...]}``.  No auth needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import seed
from .errors import ApiError
from .wire import Request, Response

if TYPE_CHECKING:
    from .server import FakeGoogle

PREFIX = "/__fake__/"


def handle(fake: FakeGoogle, request: Request) -> Response:
    try:
        return Response.json(_dispatch(fake, request))
    except ApiError as err:
        return Response.error(err)
    except (KeyError, TypeError, ValueError) as err:
        return Response.error(ApiError(400, f"Bad control request: {err}"))


def _dispatch(fake: FakeGoogle, request: Request) -> dict[str, Any]:
    action = (request.method, request.path[len(PREFIX) :].strip("/"))
    body = request.json() if request.body else {}
    if action == ("GET", "calls"):
        return fake.calls.snapshot()
    if action == ("POST", "reset"):
        fake.reset()
        return {}
    if action == ("DELETE", "faults"):
        fake.faults.clear()
        return {}
    if action == ("POST", "faults"):
        kind, times, match = body["kind"], body.get("times", 1), body.get("match")
        if kind == "rate_limit":
            fake.faults.rate_limit(times, match, body.get("retryAfter"))
        elif kind == "server_error":
            fake.faults.server_error(times, int(body.get("status", 500)), match)
        elif kind == "delay":
            fake.faults.delay(float(body["seconds"]), times, match)
        elif kind == "drop_after_write":
            fake.faults.drop_after_write(times, match)
        else:
            raise ValueError(f"unknown fault kind {kind}")
        return {}
    if action == ("POST", "spreadsheets"):
        book = seed.spreadsheet(fake.state, body.get("title", "Untitled spreadsheet"), body.get("tabs"))
        return {"spreadsheetId": book.id}
    if action == ("POST", "documents"):
        document = seed.document(fake.state, body.get("title", "Untitled document"), body.get("blocks", []))
        return {"documentId": document.id}
    raise ApiError(404, f"Unknown control action {request.method} {request.path}")
