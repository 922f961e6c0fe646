"""Progress of a long stage (a first cycle's thousands of PDFs): a bar on a
terminal, one log line otherwise (journald, cron mail, a pipe).

The bar is rich's: it is already the library the worker's terminal output
would grow into, and it draws nothing when the stream is not a terminal.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from typing import IO, TypeVar

log = logging.getLogger("sheetbill")
T = TypeVar("T")
MIN_ITEMS = 20  # a shorter stage is over before a bar would help


def steps(items: Sequence[T], stage: str, stream: IO[str] | None = None, min_items: int = MIN_ITEMS) -> Iterator[T]:
    """`items`, one by one, showing how far the stage has come."""
    if len(items) < min_items:
        yield from items
        return
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        log.info("%s: %d to make", stage, len(items))
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
