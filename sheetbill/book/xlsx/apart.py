"""Work done in a forked helper process while this one goes on, so that a big
write uses the machine's second core (a first cycle patches its largest sheets
there while this process patches the others).

Only ever an optimisation: whatever goes wrong in the helper (an error, a
crash, a result that cannot be read back), `result()` is None and the caller
does the work itself, where any error is raised as usual. The helper keeps no
file of this process open (it opens what it reads by path), so it never moves
a file position this process reads at, nor holds a lock past this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import time
from types import TracebackType
from typing import Callable, Generic, TypeVar

T = TypeVar("T")
_MAX_FD = 1 << 20
PATIENCE = 600.0  # seconds `result()` waits for a helper before stopping it and doing the work here


def available() -> bool:
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class Apart(Generic[T]):
    """`work()` run in a forked helper; `result()` waits for its return value.

    Use as a context manager: leaving it without `result()` stops the helper."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._pid: int | None = None
        self._fd = -1
        try:
            read, write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # pragma: no cover - the helper (its coverage is not collected)
            _helper(work, read, write)
        os.close(write)
        self._pid, self._fd = pid, read

    def result(self, patience: float = PATIENCE) -> T | None:
        """The helper's return value, or None if it failed or gave none within `patience`
        seconds (then it is stopped)."""
        if self._pid is None:
            return None
        try:
            data = self._read(time.monotonic() + patience)
        except (OSError, ValueError):  # the pipe could not be read: no result
            self._stop()
            data = b""
        finally:
            os.close(self._fd)
            self._reap()
        try:
            found: T | None = pickle.loads(data) if data else None
        except Exception:  # noqa: BLE001 - a result that cannot be read back is no result
            return None
        return found

    def _read(self, deadline: float) -> bytes:
        """All the helper writes, or b"" (and the helper stopped) once `deadline` has passed."""
        chunks: list[bytes] = []
        poller = select.poll()  # not select(): its descriptors must be below 1024
        poller.register(self._fd, select.POLLIN)
        while True:
            if not poller.poll(max(0, int((deadline - time.monotonic()) * 1000))):
                self._stop()
                return b""
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    def _stop(self) -> None:
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _reap(self) -> None:
        pid, self._pid = self._pid, None
        if pid is not None:
            os.waitpid(pid, 0)

    def __enter__(self) -> Apart[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._pid is not None:  # left early: the helper's work is not wanted
            self._stop()
            os.close(self._fd)
            self._reap()


def _helper(work: Callable[[], object], read: int, write: int) -> None:  # pragma: no cover - runs in the helper
    code = 1
    try:
        gc.disable()  # no finalizer of this process's objects closes a file number the helper reuses
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the helper with the run
        os.close(read)
        os.closerange(3, write)  # none of this process's files: see the module's docstring
        os.closerange(write + 1, _MAX_FD)
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with open(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # noqa: BLE001 - any failure: no result, the caller does the work
        pass
    finally:
        os._exit(code)
