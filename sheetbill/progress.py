"""Progress of a long stage (a first cycle's reading, planning, writing, PDFs and emails;
`init --google`; an export): a bar or a spinner on a terminal, one log line otherwise
(journald, cron mail, a pipe, a test) and never bar noise there.

The bar is rich's: it is already the library the worker's terminal output
would grow into, and it draws nothing when the stream is not a terminal.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TypeVar

log = logging.getLogger("sheetbill")
T = TypeVar("T")
MIN_ITEMS = 20  # a shorter stage is over before a bar would help
BIG_CYCLE = 1000  # sessions: below this a cycle's reading, planning and writing take no time worth telling


def steps(items: Sequence[T], stage: str, stream: IO[str] | None = None, min_items: int | None = None,
          doing: str = "to make") -> Iterator[T]:
    """`items`, one by one, showing how far the stage has come (from `min_items`, MIN_ITEMS unless told)."""
    if len(items) < (MIN_ITEMS if min_items is None else min_items):
        yield from items
        return
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        log.info("%s: %d %s", stage, len(items), doing)
        yield from items
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(file=stream, force_terminal=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task(stage, total=len(items))
        for item in items:
            yield item
            bar.advance(task)


class Found:
    """What a stage found, told once it is known (how many sessions a reading found)."""

    def __init__(self) -> None:
        self.size: int | None = None
        self.what = ""

    def __call__(self, size: int, what: str) -> None:
        self.size, self.what = size, what


@contextmanager
def stage(name: str, size: int | None = None, what: str = "", stream: IO[str] | None = None,
          min_items: int = 0) -> Iterator[Found]:
    """A stage without steps to count (reading, planning, writing, a setup): a spinner on a
    terminal; elsewhere one log line, "name: size what", when `size` reaches `min_items`.
    A stage that learns its size as it goes (a reading) tells it to the `Found` it is given,
    and its line comes at the end."""
    found = Found()
    stream = stream if stream is not None else sys.stderr
    if size is not None and size < min_items:
        yield found
        return
    if stream.isatty():
        from rich.console import Console

        with Console(file=stream, force_terminal=True).status(f"{name}…"):
            yield found
        return
    if size is not None or not min_items:
        log.info(_line(name, size, what))
    yield found
    if size is None and min_items and found.size is not None and found.size >= min_items:
        log.info(_line(name, found.size, found.what))


def _line(name: str, size: int | None, what: str) -> str:
    return name if size is None else f"{name}: {size} {what}".rstrip()
