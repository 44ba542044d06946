"""Work spread over forked processes that inherit what they need instead of having it pickled.

Only the numbers of the tasks go to a worker and only each task's result comes back; the
function that does the work is inherited at the fork, with everything it refers to.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

_STOPS = {signal.SIGINT, signal.SIGTERM}
_WORK: list[Callable[[range], object]] = []  # in a worker process: the work it inherited at the fork


def forked_map(
    work: Callable[[range], T], count: int, jobs: int, size: int, meanwhile: Callable[[], object] | None = None
) -> Iterator[T]:
    """``work`` over ``range(count)`` in slices of ``size``, by ``jobs`` forked processes, results in order;
    this process does ``meanwhile`` once the workers have started, rather than wait for them with nothing to do.

    The caller may stop early (at an error, say): the workers are ended when the iteration is.
    """
    slices = [range(i, min(i + size, count)) for i in range(0, count, size)]
    gc.freeze()  # the collector would otherwise write to, and so copy, every inherited object's page
    context = multiprocessing.get_context("fork")
    # Blocked across the forks: a worker that got one before _adopt would run the parent's handler, and print
    # its exception as a traceback (a stop that came while serve's workers started). _adopt unblocks them.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pool = context.Pool(min(jobs, len(slices)), initializer=_adopt, initargs=(work,))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    with pool:
        results = pool.imap(_run, slices)
        if meanwhile is not None:
            meanwhile()
        yield from results  # type: ignore[misc]


def _adopt(work: Callable[[range], object]) -> None:
    """A worker's start: keep the inherited work; Ctrl-C is the parent's to handle, SIGTERM ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
    _WORK.append(work)


def _run(tasks: range) -> object:
    return _WORK[0](tasks)
