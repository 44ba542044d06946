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
import socket
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from livereload.watcher import Watcher

from .incremental import Session
from .loader import is_editor_noise

WATCHED = ("site.yaml", "content", "templates", "static")


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


class _Watcher(Watcher):
    """livereload's watcher, which also notices deleted and renamed files."""

    def __init__(self) -> None:
        super().__init__()
        self._listings: dict[str, list[str]] = {}

    def is_folder_changed(self, path: str, ignore: Callable[[str], bool] | None = None) -> bool:
        changed = super().is_folder_changed(path, ignore)
        listing = sorted(str(p) for p in Path(path).rglob("*") if p.is_file() and not is_editor_noise(p))
        if self._listings.setdefault(path, listing) != listing:
            self._listings[path] = listing
            return True
        return changed


def _noise(path: str) -> bool:
    return is_editor_noise(Path(path))


def serve(session: Session, host: str, port: int) -> int:
    """Serve until Ctrl-C; returns the exit code."""
    from livereload import Server  # imported here: only serve needs tornado

    if not port_is_free(host, port):
        print(f"error: port {port} on {host} is already in use; try --port {port + 1}", file=sys.stderr)
        return 1
    session.full_build()
    session.print_report()
    server = Server(SiteApp(session, host, port), watcher=_Watcher())
    rebuild = _rebuild(session)
    for name in WATCHED:
        target = session.paths.site / name
        if target.exists():
            server.watch(str(target), rebuild, ignore=_noise)
    print(f"serving http://{host}:{port}/  (Ctrl-C to stop)", file=sys.stderr)
    try:
        server.serve(host=host, port=port, restart_delay=0)
    except KeyboardInterrupt:
        pass
    print("stopped", file=sys.stderr)
    return 0


def _rebuild(session: Session) -> Callable[[], None]:
    """The watcher's task: the edited pages now (livereload reloads after it), the rest right after."""
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    def run() -> None:
        started = time.perf_counter()
        finish = session.rebuild_edited()
        edited = time.perf_counter() - started
        session.print_report()

        def rest() -> None:
            if finish():
                total = time.perf_counter() - started
                print(f"rebuilt: edited page in {edited * 1000:.0f} ms, all in {total * 1000:.0f} ms", file=sys.stderr)
                LiveReloadHandler.reload_waiters()

        IOLoop.current().add_callback(rest)

    return run
