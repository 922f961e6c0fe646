"""Fault injection and call counting, driven from the test process.

Every rule has a *matcher*: None (any request), a glob over the discovery
method id (``"sheets.*"``, ``"*.batchUpdate"``,
``"sheets.spreadsheets.values.get"``), or a callable taking the
:class:`~.wire.Request`.  Rules fire a given number of ``times`` and
report how often they did in ``fired``.
"""

from __future__ import annotations

import fnmatch
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import ApiError
from .state import State
from .wire import Request

Matcher = str | Callable[[Request], bool] | None
Action = Callable[[State], Any]


def matches(matcher: Matcher, request: Request) -> bool:
    if matcher is None:
        return True
    if callable(matcher):
        return bool(matcher(request))
    return fnmatch.fnmatchcase(request.method_id, matcher)


@dataclass
class Rule:
    """One armed fault; ``fired`` counts how often it has acted."""

    kind: str
    match: Matcher
    times: int | None = 1
    status: int = 0
    seconds: float = 0.0
    action: Action | None = None
    nth: int = 1
    retry_after: int | None = None
    reason: str = ""
    seen: int = 0
    fired: int = 0

    @property
    def spent(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def offer(self, request: Request) -> bool:
        """Whether this rule acts on ``request`` (and count it if so)."""
        if self.spent or not matches(self.match, request):
            return False
        self.seen += 1
        if self.seen < self.nth:
            return False
        self.fired += 1
        return True


class Faults:
    """The armed fault rules of one server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.rules: list[Rule] = []

    def _arm(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def rate_limit(self, times: int | None = 1, match: Matcher = None, retry_after: int | None = None) -> Rule:
        """The next ``times`` matching requests answer 429 RESOURCE_EXHAUSTED."""
        return self._arm(Rule("error", match, times, status=429, retry_after=retry_after))

    def server_error(self, times: int | None = 1, status: int = 500, match: Matcher = None) -> Rule:
        """The next ``times`` matching requests answer 500 or 503."""
        if status not in (500, 502, 503, 504):
            raise ValueError("server_error status must be a 5xx code")
        return self._arm(Rule("error", match, times, status=status))

    def forbidden(self, times: int | None = 1, match: Matcher = None, reason: str = "SERVICE_DISABLED") -> Rule:
        """The next ``times`` matching requests answer 403: ``SERVICE_DISABLED`` (the API is
        not enabled in the caller's Cloud project) or ``PERMISSION_DENIED``."""
        if reason not in ("SERVICE_DISABLED", "PERMISSION_DENIED"):
            raise ValueError("forbidden reason must be SERVICE_DISABLED or PERMISSION_DENIED")
        return self._arm(Rule("error", match, times, status=403, reason=reason))

    def delay(self, seconds: float, times: int | None = 1, match: Matcher = None) -> Rule:
        """Matching requests are handled, then answered ``seconds`` late."""
        return self._arm(Rule("delay", match, times, seconds=seconds))

    def drop_after_write(self, times: int | None = 1, match: Matcher = None) -> Rule:
        """Matching write requests are applied, then the connection is closed unanswered."""
        return self._arm(Rule("drop", match, times))

    def before(self, action: Action, nth: int = 1, match: Matcher = None, times: int | None = 1) -> Rule:
        """Run ``action(state)`` right before the ``nth`` matching request is handled."""
        return self._arm(Rule("hook", match, times, action=action, nth=nth))

    def take(self, kind: str, request: Request) -> list[Rule]:
        """Rules of ``kind`` that act on this request (each counted once)."""
        with self._lock:
            return [rule for rule in self.rules if rule.kind == kind and rule.offer(request)]

    def refund(self, rules: list[Rule]) -> None:
        """Give back rules taken for a request they did not act on after all."""
        with self._lock:
            for rule in rules:
                rule.fired -= 1


def injected_error(rule: Rule, api: str) -> ApiError:
    """Google's body for an injected 429 or 5xx, per API front end."""
    headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after is not None else {}
    if rule.status == 403:
        return _forbidden(rule.reason, api)
    if rule.status == 429:
        if api in ("drive", "gmail"):
            err = ApiError(
                429,
                "Rate Limit Exceeded",
                None if api == "gmail" else "",
                errors=[{"message": "Rate Limit Exceeded", "domain": "usageLimits", "reason": "rateLimitExceeded"}],
                headers=headers,
            )
            return err
        service = {"sheets": "sheets.googleapis.com", "docs": "docs.googleapis.com"}.get(api, api)
        return ApiError(
            429,
            f"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' "
            f"of service '{service}' for consumer 'project_number:000000000000'.",
            details=[
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "RATE_LIMIT_EXCEEDED",
                    "domain": "googleapis.com",
                    "metadata": {"service": service, "quota_limit_value": "60"},
                }
            ],
            headers=headers,
        )
    if rule.status == 503:
        return ApiError(503, "The service is currently unavailable.", headers=headers)
    if rule.status in (502, 504):
        return ApiError(rule.status, "The service is currently unavailable.", "UNAVAILABLE", headers=headers)
    return ApiError(500, "Internal error encountered.", headers=headers)


API_TITLES = {"sheets": "Google Sheets API", "drive": "Google Drive API", "docs": "Google Docs API",
              "gmail": "Gmail API"}
PROJECT = "000000000000"


def _forbidden(reason: str, api: str) -> ApiError:
    """Google's 403 bodies: an API not enabled in the project, or no access."""
    if reason == "PERMISSION_DENIED":
        if api in ("drive", "gmail"):
            errors = [{"message": "The user does not have sufficient permissions for this file.",
                       "domain": "global", "reason": "insufficientFilePermissions"}]
            return ApiError(403, errors[0]["message"], "PERMISSION_DENIED", errors=errors)
        return ApiError(403, "The caller does not have permission")
    service = f"{api}.googleapis.com"
    url = f"https://console.developers.google.com/apis/api/{service}/overview?project={PROJECT}"
    message = (f"{API_TITLES.get(api, api)} has not been used in project {PROJECT} before or it is disabled. "
               f"Enable it by visiting {url} then retry. If you enabled this API recently, wait a few minutes "
               "for the action to propagate to our systems and retry.")
    details = [
        {"@type": "type.googleapis.com/google.rpc.Help",
         "links": [{"description": "Google developers console API activation", "url": url}]},
        {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "SERVICE_DISABLED", "domain": "googleapis.com",
         "metadata": {"service": service, "consumer": f"projects/{PROJECT}"}},
    ]
    errors = ([{"message": message, "domain": "usageLimits", "reason": "accessNotConfigured", "extendedHelp": url}]
              if api in ("drive", "gmail") else None)
    return ApiError(403, message, "PERMISSION_DENIED", errors=errors, details=details)


@dataclass
class Calls:
    """Requests received, per API and per method id."""

    by_api: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)
    log: list[tuple[str, str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, request: Request) -> None:
        with self._lock:
            self.by_api[request.api] += 1
            self.by_method[request.method_id] += 1
            self.log.append((request.method_id, request.method, request.path))

    def clear(self) -> None:
        with self._lock:
            self.by_api.clear()
            self.by_method.clear()
            self.log.clear()

    def snapshot(self) -> dict[str, dict[str, int]]:
        with self._lock:
            return {"apis": dict(self.by_api), "methods": dict(self.by_method)}
