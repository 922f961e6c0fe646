"""Calling Google: one failure type, and bounded retries where a retry is safe.

Every answer that is not a success becomes an `ApiFailure`: the HTTP status
(None when no answer came: timeout, dropped connection), Google's message
and reason (`SERVICE_DISABLED`, `rateLimitExceeded`...), and Retry-After.

`Backoff.run(call, idempotent)` retries with exponential backoff and full
jitter, bounded both in attempts and in total waiting time:
- a 429 (or Drive's and Gmail's 403 rate limits) is a refusal: nothing was
  done, so every call may be retried;
- a 5xx, a timeout or a dropped connection leave the outcome unknown: only
  idempotent calls (reads, writes that land the same way twice) are retried;
  the others raise at once and their caller reconciles (re-reads, looks up).
The clock, the sleep and the random source are injected, so tests never wait.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

T = TypeVar("T")

RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED",
                                "RESOURCE_EXHAUSTED"})


class ApiFailure(Exception):
    """A Google call that did not succeed."""

    def __init__(self, status: int | None, message: str, reason: str = "", retry_after: float | None = None,
                 details: tuple[dict[str, Any], ...] = (), unsent: bool = False) -> None:
        super().__init__(f"{status or 'no answer'}: {message}")
        self.status, self.message, self.reason = status, message, reason
        self.retry_after, self.details = retry_after, details
        self.unsent = unsent  # the call never left: renewing the sign-in before it got no answer

    @property
    def refused(self) -> bool:
        """Google turned the call away (quota), or it was never sent: it was not carried out."""
        return (self.status == 429 or (self.status == 403 and self.reason in RATE_LIMIT_REASONS)
                or (self.unsent and self.status is None))

    @property
    def transient(self) -> bool:
        """Trying again later may work."""
        return self.refused or self.status is None or self.status in (500, 502, 503, 504)

    @classmethod
    def from_answer(cls, status: int, body: bytes | str, headers: Any = None) -> "ApiFailure":
        """From an error answer in any of Google's shapes (Sheets, Drive, Gmail)."""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        try:
            error = json.loads(text).get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        if not isinstance(error, dict):
            error = {"message": str(error)}
        details = tuple(d for d in error.get("details") or () if isinstance(d, dict))
        reason = next((d.get("reason", "") for d in details if d.get("reason")), "")
        reason = reason or next((e.get("reason", "") for e in error.get("errors") or () if isinstance(e, dict)), "")
        retry = (headers or {}).get("retry-after") or (headers or {}).get("Retry-After")
        try:
            retry_after = float(retry) if retry is not None else None
        except ValueError:
            retry_after = None
        message = str(error.get("message") or text[:200] or f"HTTP {status}")
        return cls(status, message, reason or str(error.get("status") or ""), retry_after, details)


@dataclass
class Backoff:
    """How often and how long to retry: `attempts` tries at most, and no more
    than `budget` seconds spent waiting in all."""

    attempts: int = 6
    first: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    budget: float = 90.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = field(default_factory=lambda: random.Random().random)

    def delay(self, attempt: int, failure: ApiFailure) -> float:
        """The wait before try number `attempt + 1` (full jitter; Retry-After is a floor)."""
        ceiling = min(self.cap, self.first * self.factor ** attempt)
        wait = ceiling * self.jitter()
        return max(wait, failure.retry_after or 0.0)

    def run(self, call: Callable[[], T], idempotent: bool) -> T:
        started = self.clock()
        attempt = 0
        while True:
            try:
                return call()
            except ApiFailure as failure:
                if not (failure.refused or (idempotent and failure.transient)):
                    raise
                attempt += 1
                wait = self.delay(attempt - 1, failure)
                if attempt >= self.attempts or self.clock() - started + wait > self.budget:
                    raise
                self.sleep(wait)
