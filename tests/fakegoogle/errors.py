"""Google's error answers, as one exception type the handlers raise.

Google's JSON APIs answer errors as ``{"error": {"code", "message", "status"}}``;
the older Drive and Gmail front ends add an ``errors`` list of
``{"domain", "reason", "message"}``, and the Sheets/Docs front end adds
``details`` for field violations.  :class:`ApiError` carries all of it and
renders the body.
"""

from __future__ import annotations

from typing import Any

STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    412: "FAILED_PRECONDITION",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    503: "UNAVAILABLE",
}

UNAUTHENTICATED_MESSAGE = (
    "Request is missing required authentication credential. Expected OAuth 2 "
    "access token, login cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


class ApiError(Exception):
    """An error answer: HTTP status code plus Google's JSON error body."""

    def __init__(
        self,
        code: int,
        message: str,
        status: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else STATUS_NAMES.get(code, "UNKNOWN")
        self.errors = errors
        self.details = details
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body Google sends with this error."""
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors is not None:
            error["errors"] = self.errors
        if self.status:
            error["status"] = self.status
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def not_found(message: str = "Requested entity was not found.") -> ApiError:
    return ApiError(404, message)


def invalid(message: str, details: list[dict[str, Any]] | None = None) -> ApiError:
    return ApiError(400, message, details=details)


def permission_denied(message: str = "The caller does not have permission") -> ApiError:
    return ApiError(403, message)


def unimplemented(what: str) -> ApiError:
    return ApiError(501, f"{what} is not implemented by the local fake.")


def legacy(
    code: int,
    reason: str,
    message: str,
    *,
    location: str | None = None,
    location_type: str = "parameter",
    status: str | None = "",
) -> ApiError:
    """An error in the Drive/Gmail style, with the ``errors`` list."""
    item: dict[str, Any] = {"message": message, "domain": "global", "reason": reason}
    if location is not None:
        item["locationType"] = location_type
        item["location"] = location
    return ApiError(code, message, status, errors=[item])


def file_not_found(file_id: str) -> ApiError:
    """Drive's answer for a file that does not exist or is not visible."""
    return legacy(404, "notFound", f"File not found: {file_id}.", location="fileId")


def bad_request_violation(field: str, description: str) -> ApiError:
    """A 400 with a ``google.rpc.BadRequest`` field violation, as Sheets sends."""
    return ApiError(
        400,
        description,
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": field, "description": description}],
            }
        ],
    )
