"""Ctrl-C and SIGTERM stop a run with one line, and never between the renames that swap the output in.

Only the standard library, so that ``build.py`` can install the handler before the slow imports.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM; ``replaced`` says the new site was already in place when it came."""

    def __init__(self, signum: int, replaced: bool = False) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.replaced = replaced

    def report(self, outcome: str) -> int:
        """Print the one line a journalist sees and return the shell's exit code (130, 143)."""
        print(f"interrupted: {outcome}", file=sys.stderr)
        return 128 + self.signum


class _Stop:
    """The handler of both signals: raise :class:`Interrupted`, or note the signal while the output is swapped."""

    def __init__(self) -> None:
        self.held: list[int] | None = None
        self.came: int | None = None  # the last signal, for :func:`raise_if_stopped`

    def __call__(self, signum: int, frame: object) -> None:
        self.came = signum
        if self.held is None:
            raise Interrupted(signum)
        self.held.append(signum)


_STOP = _Stop()  # a signal handler is process-wide state; this is its one instance


def stop_on_signals() -> None:
    """From now on Ctrl-C and SIGTERM raise :class:`Interrupted` in the main thread."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _STOP)


def raise_if_stopped() -> None:
    """:class:`Interrupted` again for a signal that came: Python runs the handler between any two bytecodes, and
    when those were in a weakref callback or ``__del__`` (the garbage collector's work), it printed the exception
    and ignored it. A loop that waits for long (the dev server's) calls this now and then."""
    if _STOP.came is not None:
        raise Interrupted(_STOP.came)


@contextmanager
def held(replaced: bool) -> Iterator[list[int]]:
    """Ctrl-C and SIGTERM wait until the block is done; one that came meanwhile is raised after it.

    The block sees the signals that came so far (to undo what it did, say). ``replaced`` tells
    whether the block, once done, has put the new site in place. Python runs signal handlers
    in the main thread only, so another thread (the dev server's) has nothing to hold.
    """
    if threading.current_thread() is not threading.main_thread() or _STOP.held is not None:
        yield []
        return
    _STOP.held = []
    try:
        yield _STOP.held
    finally:
        came, _STOP.held = _STOP.held, None
    if came:
        raise Interrupted(came[0], replaced)
