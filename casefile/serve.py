"""``python build.py serve``: rebuild on save and reload the open pages.

The server keeps serving the last good site.  While the content has errors,
every HTML page it serves carries a banner listing them (file:line, message,
hint); fixing the files clears it.  Pages on disk are never touched by a
failed rebuild.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .cli import report
from .incremental import Session
from .loader import is_editor_noise

WATCHED = ("site.yaml", "content", "templates", "static")
RELOAD_GRACE = 0.4  # seconds between reloading the edited page and rebuilding indexes, timeline and graph


class SiteApp:
    """A WSGI app serving the output folder, with the current errors as a banner."""

    def __init__(self, session: Session, host: str, port: int) -> None:
        self.session = session
        self.websocket = f"ws://{host}:{port}"

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = self._file_for(environ.get("PATH_INFO") or "/")
        if path is None:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"not found"]
        body = path.read_bytes()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type == "text/html":
            body = self._decorate(body.decode("utf-8")).encode("utf-8")
            content_type += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", content_type), ("Cache-Control", "no-store")])
        return [body]

    def _file_for(self, url_path: str) -> Path | None:
        out = self.session.paths.out.resolve()
        target = (out / url_path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if out not in target.parents and target != out or not target.is_file():
            return None
        return target

    def _decorate(self, page: str) -> str:
        """Allow livereload's websocket; add the error banner while a build is broken."""
        page = page.replace("connect-src 'self'", f"connect-src 'self' {self.websocket}", 1)
        problems = self.session.diagnostics.errors if self.session.diagnostics else []
        if problems:
            root = self.session.paths.site
            items = "".join(f"<li><pre>{html.escape(p.format(root))}</pre></li>" for p in problems)
            banner = (
                '<div class="casefile-errors" role="alert"><h2>The last edit has errors; showing the last good '
                f"version of the site</h2><ol>{items}</ol></div>"
            )
            page = page.replace("<body>", "<body>" + banner, 1)
        return page


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno != errno.EADDRINUSE and exc.errno != errno.EACCES
    return True


class _EventWatcher(Watcher):
    """livereload's watcher driven by file-system events (watchdog: inotify, FSEvents, …) instead of walking
    every file every 800 ms: a save is seen at once, deletions and renames count, editor noise does not."""

    SETTLE = 0.03  # seconds: an editor's save is a burst of events; rebuild once, when it settles

    def __init__(self) -> None:
        super().__init__()
        self._observer = Observer()
        self._lock = threading.Lock()
        self._changed: set[str] = set()

    def start(self, callback: Callable[[], None]) -> bool:
        loop = IOLoop.current()
        for path in self._tasks:
            handler = _Events(self, path, lambda: loop.add_callback(loop.call_later, self.SETTLE, callback))
            is_dir = os.path.isdir(path)
            self._observer.schedule(handler, path if is_dir else os.path.dirname(path), recursive=is_dir)
        self._observer.start()
        return True

    def note(self, path: str, wake: Callable[[], None]) -> None:
        """Remember a change; wake the server loop for the first one of a burst."""
        with self._lock:
            first = not self._changed
            self._changed.add(path)
        if first:
            wake()

    def examine(self) -> tuple[None, None]:
        """Run each rebuild function once per burst; it reloads the browser itself (livereload's own reload
        is skipped within 3 s of the last one, which would hide quick successive saves)."""
        with self._lock:
            changed, self._changed = self._changed, set()
        if changed:
            for func in dict.fromkeys(task["func"] for task in self._tasks.values() if task["func"]):
                func(changed)
        return None, None

    def stop(self) -> None:
        self._observer.stop()


class _Events(FileSystemEventHandler):
    """Passes on the events under one watched path that are not editor noise."""

    def __init__(self, watcher: _EventWatcher, watched: str, wake: Callable[[], None]) -> None:
        self.watcher, self.watched, self.wake = watcher, os.path.abspath(watched), wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory and event.event_type == "modified":
            return
        for path in filter(None, (os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or ""))):
            inside = path == self.watched or path.startswith(self.watched + os.sep)
            if inside and not is_editor_noise(Path(path)):
                self.watcher.note(path, self.wake)
                return


def serve(session: Session, host: str, port: int) -> int:
    """Serve until Ctrl-C; returns the exit code."""
    if not port_is_free(host, port):
        print(f"error: port {port} on {host} is already in use; try --port {port + 1}", file=sys.stderr)
        return 1
    session.full_build()
    _report(session)
    watcher = _EventWatcher()
    server = Server(SiteApp(session, host, port), watcher=watcher)
    rebuild = _rebuild(session)
    for name in WATCHED:
        target = session.paths.site / name
        if target.exists():
            server.watch(str(target), rebuild)
    print(f"serving http://{host}:{port}/  (Ctrl-C to stop)", file=sys.stderr)
    try:
        server.serve(host=host, port=port, restart_delay=0)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
    print("stopped", file=sys.stderr)
    return 0


def _report(session: Session) -> None:
    """The current problems in the terminal, as `build` prints them."""
    if session.diagnostics is not None:
        report(session.diagnostics, Path.cwd(), strict=False)


def _rebuild(session: Session) -> Callable[[set[str]], None]:
    """The watcher's task: the edited pages now, reloaded at once; the rest a moment later, reloaded again."""

    def run(paths: set[str]) -> None:
        started = time.perf_counter()
        finish = session.rebuild_edited(paths)
        edited = time.perf_counter() - started
        LiveReloadHandler.reload_waiters()
        _report(session)

        def rest() -> None:
            if finish():
                total = time.perf_counter() - started
                print(f"rebuilt: edited page in {edited * 1000:.0f} ms, all in {total * 1000:.0f} ms", file=sys.stderr)
                LiveReloadHandler.reload_waiters()

        # Let the browser fetch the edited page before the rest of the rebuild holds the loop.
        IOLoop.current().call_later(RELOAD_GRACE, rest)

    return run
