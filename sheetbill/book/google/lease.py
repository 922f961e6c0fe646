"""Who may write to the spreadsheet: a lease with a holder and an expiry.

Cell values offer no compare-and-set, but developer metadata does, inside
one atomic `batchUpdate`: "delete the metadata with id L *and value V*,
then create metadata with id L". If someone changed L's value since it was
read, the delete matches nothing, the create finds L still there and fails,
and Google refuses the whole batch. Every write of a worker carries this
pair, so a worker whose lease was taken over cannot change anything, and a
write sent twice (after a dropped connection) cannot land twice: the second
copy compares against a value the first one already replaced.

The value is `<holder> <expiry, UTC> <n>`; `n` grows with each write, so a
worker can tell whether its own write landed by reading the value back.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from .grid import LEASE

LEASE_ID = 0x5B111EA5  # a fixed, spreadsheet-scoped developer metadata id
TTL = timedelta(minutes=10)  # a lease lasts this long after the holder's last write
RENEW = timedelta(minutes=5)  # a holder renews before sending once less than this is left


def new_holder() -> str:
    """This process's holder id: host, process and a random part."""
    host = "".join(c for c in socket.gethostname() if c.isalnum() or c in "-.")[:40] or "host"
    return f"{host}-{os.getpid()}-{secrets.token_hex(2)}"


@dataclass(frozen=True)
class Lease:
    holder: str
    expires: datetime
    n: int = 0

    @property
    def value(self) -> str:
        return f"{self.holder} {self.expires.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ} {self.n}"

    @classmethod
    def parse(cls, value: str) -> "Lease | None":
        parts = value.split()
        if len(parts) != 3:
            return None
        try:
            expires = datetime.strptime(parts[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            return cls(parts[0], expires, int(parts[2]))
        except ValueError:
            return None

    def held_by_other(self, holder: str, now: datetime) -> bool:
        return self.holder != holder and self.expires > now

    def renewed(self, holder: str, now: datetime) -> "Lease":
        return Lease(holder, now + TTL, self.n + 1)


def swap(current: str | None, new: Lease) -> list[dict[str, Any]]:
    """The compare-and-set pair: replace the lease whose value is `current`
    (None: there is none) by `new`. The create is the request that fails."""
    out: list[dict[str, Any]] = []
    if current is not None:
        out.append({"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {
            "metadataId": LEASE_ID, "metadataValue": current}}}})
    out.append({"createDeveloperMetadata": {"developerMetadata": {
        "metadataId": LEASE_ID, "metadataKey": LEASE, "metadataValue": new.value, "visibility": "DOCUMENT",
        "location": {"spreadsheet": True}}}})
    return out

