"""The retry policy: what is retried, how long it waits, when it gives up."""

from __future__ import annotations

import json

import pytest

from sheetbill.google.retry import ApiFailure, Backoff


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def backoff(clock: Clock, **kw) -> Backoff:
    return Backoff(sleep=clock.sleep, clock=lambda: clock.now, jitter=lambda: 1.0, **kw)


def failing(*failures: ApiFailure):
    calls = []

    def call():
        calls.append(1)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return "ok"
    return call, calls


@pytest.mark.parametrize("failure, idempotent, retried", [
    (ApiFailure(429, "quota"), False, True),  # refused: nothing was done
    (ApiFailure(403, "slow down", "userRateLimitExceeded"), False, True),
    (ApiFailure(503, "unavailable"), True, True),
    (ApiFailure(503, "unavailable"), False, False),  # may have been done: the caller reconciles
    (ApiFailure(None, "timeout"), True, True),
    (ApiFailure(None, "timeout"), False, False),
    (ApiFailure(400, "bad request"), True, False),
    (ApiFailure(403, "The caller does not have permission"), True, False),
])
def test_what_is_retried(failure, idempotent, retried):
    clock = Clock()
    call, calls = failing(failure)
    if retried:
        assert backoff(clock).run(call, idempotent) == "ok" and len(calls) == 2
    else:
        with pytest.raises(ApiFailure):
            backoff(clock).run(call, idempotent)
        assert len(calls) == 1


def test_waits_grow_exponentially_up_to_a_cap_and_respect_retry_after():
    waits = []
    policy = Backoff(sleep=waits.append, clock=lambda: 0.0, jitter=lambda: 1.0, attempts=8, cap=10, budget=1000)
    call, _ = failing(*[ApiFailure(429, "quota")] * 5 + [ApiFailure(429, "quota", retry_after=30)])
    policy.run(call, idempotent=False)
    assert waits == [1, 2, 4, 8, 10, 30]


def test_gives_up_after_so_many_attempts_or_so_much_waiting():
    clock = Clock()
    call, calls = failing(*[ApiFailure(503, "unavailable")] * 20)
    with pytest.raises(ApiFailure):
        backoff(clock, attempts=6, budget=1000).run(call, idempotent=True)
    assert len(calls) == 6
    clock = Clock()
    call, calls = failing(*[ApiFailure(503, "unavailable")] * 20)
    with pytest.raises(ApiFailure):
        backoff(clock, attempts=100, budget=20).run(call, idempotent=True)
    assert clock.now <= 20


def test_full_jitter_spreads_the_waits():
    waits = []
    values = iter([0.1, 0.9])
    policy = Backoff(sleep=waits.append, clock=lambda: 0.0, jitter=lambda: next(values))
    call, _ = failing(ApiFailure(429, "q"), ApiFailure(429, "q"))
    policy.run(call, idempotent=True)
    assert waits == pytest.approx([0.1, 1.8])


def test_googles_error_shapes_are_understood():
    sheets = json.dumps({"error": {"code": 403, "message": "Google Sheets API has not been used", "status":
                                   "PERMISSION_DENIED", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                                                     "reason": "SERVICE_DISABLED"}]}})
    drive = json.dumps({"error": {"code": 403, "message": "Rate Limit Exceeded", "errors": [
        {"domain": "usageLimits", "reason": "userRateLimitExceeded", "message": "Rate Limit Exceeded"}]}})
    assert ApiFailure.from_answer(403, sheets).reason == "SERVICE_DISABLED"
    assert ApiFailure.from_answer(403, drive).refused
    assert ApiFailure.from_answer(429, "{}", {"Retry-After": "12"}).retry_after == 12
    assert ApiFailure.from_answer(502, b"<html>Bad Gateway</html>").transient
