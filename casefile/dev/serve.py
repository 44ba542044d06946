"""``python build.py serve``: rebuild on save and reload the open pages.

The server keeps serving the last good site.  While the content has errors,
every HTML page it serves carries a banner listing them (file:line, message,
hint); fixing the files clears it.  Pages on disk are never touched by a
failed rebuild.  The HTTP side (pages, reload socket, privacy guards) is in
:mod:`casefile.dev.devserver`.
"""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tornado.ioloop import IOLoop
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from casefile.content.links import is_editor_noise
from casefile.dev.devserver import Audience, ReloadSocket, SiteState, application, is_loopback
from casefile.dev.incremental import Session
from casefile.diagnostics import ContentError, Diagnostics, Location, report
from casefile.interrupt import raise_if_stopped

WATCHED = ("site.yaml", "content", "templates", "static")
SETTLE = 0.03  # seconds: an editor's save is a burst of events; rebuild once, when it settles
# seconds the rest of a rebuild (indexes, timeline, graph, exports) waits at most for the reloaded pages to load
# and connect again: it holds the server's loop, and at 10,000 dossiers it takes seconds
RELOAD_GRACE = 2.0
STOP_POLL = 0.25  # seconds between looks for a Ctrl-C whose exception Python ignored (casefile.interrupt)


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            return exc.errno != errno.EADDRINUSE and exc.errno != errno.EACCES
    return True


class _Changes(FileSystemEventHandler):
    """Collects the paths a save touched under the watched folders (watchdog: inotify, FSEvents, …) and
    hands them to the server loop once per burst; editor noise and mere reads do not count.  A watched
    folder made while serving (a first ``templates/``) is followed from then on."""

    def __init__(self, site: Path, loop: IOLoop, on_burst: Callable[[set[str]], None]) -> None:
        self.site = str(site.absolute())
        self.watched = [os.path.join(self.site, name) for name in WATCHED]
        self.loop, self.on_burst = loop, on_burst
        self.observer = Observer()
        self._followed: set[str] = set()
        self._lock = threading.Lock()
        self._pending: set[str] = set()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory and event.event_type == "modified":
            return
        for path in filter(None, (os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or ""))):
            if path in self.watched and os.path.isdir(path):
                self._follow(path)
            if self._inside(path) and not is_editor_noise(Path(path)):
                self._note(path)
                return

    def _inside(self, path: str) -> bool:
        return any(path == root or path.startswith(root + os.sep) for root in self.watched)

    def _follow(self, folder: str) -> None:
        if folder not in self._followed:
            self._followed.add(folder)
            self.observer.schedule(self, folder, recursive=True)

    def _note(self, path: str) -> None:
        with self._lock:
            first = not self._pending
            self._pending.add(path)
        if first:
            self.loop.add_callback(self.loop.call_later, SETTLE, self._flush)

    def _flush(self) -> None:
        with self._lock:
            changed, self._pending = self._pending, set()
        self.on_burst(changed)

    def observe(self) -> Observer:
        """Start watching: the site folder itself (site.yaml, new folders) and every watched folder in it."""
        self.observer.schedule(self, self.site, recursive=False)
        for folder in self.watched:
            if os.path.isdir(folder):
                self._follow(folder)
        self.observer.start()
        return self.observer


def serve(session: Session, host: str, port: int) -> int:
    """Serve until Ctrl-C; returns the exit code."""
    if not port_is_free(host, port):
        print(f"error: port {port} on {host} is already in use; try --port {port + 1}", file=sys.stderr)
        return 1
    _guarded(session, session.full_build)
    _report(session)
    try:
        asyncio.run(_run(session, host, port))
    except KeyboardInterrupt:
        pass
    finally:
        session.stop()
    print("stopped", file=sys.stderr)
    return 0


async def _run(session: Session, host: str, port: int) -> None:
    """Listen, watch and rebuild until cancelled."""
    on_network = not is_loopback(host)
    state = SiteState(session.paths.out, session.paths.site, lambda: _errors(session))
    application(state, Audience(port, on_network)).listen(port, address=host.strip("[]"))
    observer = _Changes(session.paths.site, IOLoop.current(), _rebuild(session)).observe()
    if on_network:
        print(
            f"warning: serving on {host}: anyone who can reach this machine on port {port} can read the unpublished "
            "site. Use --host 127.0.0.1 to keep it to yourself.",
            file=sys.stderr,
        )
    shown = "127.0.0.1" if on_network else f"[{host.strip('[]')}]" if ":" in host else host
    print(f"serving http://{shown}:{port}/  (Ctrl-C to stop)", file=sys.stderr)
    try:
        while True:
            await asyncio.sleep(STOP_POLL)
            raise_if_stopped()
    finally:
        observer.stop()


def _errors(session: Session) -> list[ContentError]:
    return session.diagnostics.errors if session.diagnostics else []


def _report(session: Session) -> None:
    """The current problems in the terminal, as `build` prints them."""
    if session.diagnostics is not None:
        report(session.diagnostics, Path.cwd(), strict=False)


def _guarded(session: Session, step: Callable[[], object], edited: set[str] = frozenset()) -> object:
    """Run a build step; a failure Casefile did not foresee still ends as a located error in the banner
    and the terminal, and the server keeps the last good site."""
    try:
        return step()
    except Exception as exc:  # noqa: BLE001 - shown to the journalist below, not swallowed
        where = Location(Path(min(edited)) if edited else session.paths.site / "site.yaml")
        session.diagnostics = Diagnostics()
        session.diagnostics.error(
            where,
            f"Casefile could not build after this edit ({type(exc).__name__}: {exc})",
            "undo the last change to this file; if the error stays, report it to the Casefile developers",
        )
        return None


def _rebuild(session: Session) -> Callable[[set[str]], None]:
    """The watcher's task: the edited pages now, reloaded at once; the rest a moment later, reloaded again."""

    def run(paths: set[str]) -> None:
        started = time.perf_counter()
        finish = _guarded(session, lambda: session.rebuild_edited(paths), paths)
        edited = time.perf_counter() - started
        joined, told = ReloadSocket.joined, ReloadSocket.reload_all()
        _report(session)
        if finish is None:
            return

        def rest() -> None:
            errors = _errors(session)
            if _guarded(session, finish, paths):
                total = time.perf_counter() - started
                print(f"rebuilt: edited page in {edited * 1000:.0f} ms, all in {total * 1000:.0f} ms", file=sys.stderr)
            elif _errors(session) == errors:
                return
            else:
                _report(session)
            ReloadSocket.reload_all()

        async def when_reloaded() -> None:
            """The rest, once the browser has fetched the edited page: the rest of the rebuild holds the loop."""
            await ReloadSocket.until_joined(joined + told, RELOAD_GRACE)
            rest()

        IOLoop.current().spawn_callback(when_reloaded)

    return run
