"""`record`: an immutable record class that is quick to make by the hundred thousand.

A cycle turns every row of the workbook into a record (100,000 sessions make
some 300,000 records, and a first cycle as many again). `dataclass(frozen=True)`
guards immutability at run time by setting each field through
`object.__setattr__`, which makes creating one about four times slower than
a plain dataclass (measured with 17 fields: 12 µs against 3 µs). A `record`
is a slotted dataclass, equal and hashable by its fields as a frozen one is,
and declared frozen to the type checker (`dataclass_transform`): mypy, which
`make check` runs, refuses any assignment to a field, and a changed copy is
made with `dataclasses.replace`, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    return dataclass(slots=True, unsafe_hash=True)(cls)
