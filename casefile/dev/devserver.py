"""The dev server's HTTP side: the site's pages with the reload client and the error banner, the reload
socket, and the guards that keep an unpublished investigation private to the person running ``serve``.

Pages keep the published Content-Security-Policy.  Only two sources are added to it, in serve mode:
the same-origin reload client (``/livereload.js``, livereload's own) and its one WebSocket.  Requests
naming another ``Host`` (DNS rebinding) and sockets opened from another ``Origin`` are refused, and
no answer ever carries a traceback or a local path.
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import posixpath
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import livereload
from livereload.handlers import LiveReloadHandler
from tornado import web
from tornado.ioloop import IOLoop
from tornado.locks import Condition

from casefile.diagnostics import ContentError

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
RELOAD_PATH = "/livereload"
CLIENT_PATH = "/livereload.js"


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def split_host(host_header: str) -> tuple[str, int] | None:
    """``(name, port)`` of a Host header, the name as a URL writes it (``[::1]``); None when malformed."""
    if not host_header or any(c in host_header for c in "@/?#\\ "):
        return None
    try:
        parts = urlsplit("//" + host_header)
        port = parts.port or 80
    except ValueError:
        return None
    name = (parts.hostname or "").lower()
    return (f"[{name}]" if ":" in name else name, port) if name else None


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Audience:
    """Who may talk to the server: loopback names with its port; on a network address, IP literals too
    (DNS rebinding needs a domain name, so an address typed as digits cannot be an attacker's page)."""

    port: int
    on_network: bool = False

    def allows_host(self, host_header: str) -> bool:
        address = split_host(host_header)
        if address is None or address[1] != self.port:
            return False
        name = address[0].strip("[]")
        return name in LOOPBACK_NAMES or self.on_network and _is_ip_literal(name)

    def allows_origin(self, origin: str) -> bool:
        parts = urlsplit(origin)
        return parts.scheme == "http" and self.allows_host(parts.netloc)


# ---------------------------------------------------------------------------------------------------
# Serve-mode pages
# ---------------------------------------------------------------------------------------------------

_CSP = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.IGNORECASE)
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def allow_source(policy: str, directive: str, source: str) -> str:
    """``policy`` with ``source`` added to ``directive``; a directive that falls back to ``default-src``
    starts from its sources, so adding one source never takes away what the page already allowed."""
    rules = [rule.split() for rule in policy.split(";") if rule.strip()]
    names = [rule[0].lower() for rule in rules]
    if directive in names:
        rules[names.index(directive)].append(source)
    elif "default-src" in names:
        fallback = [s for s in rules[names.index("default-src")][1:] if s != "'none'"]
        rules.append([directive, *fallback, source])
    return "; ".join(" ".join(rule) for rule in rules)


def dev_page(page: str, host: str, problems: list[ContentError], root: Path) -> str:
    """A built page as ``serve`` shows it: the reload client, a CSP that lets exactly it and its socket
    through, and the current errors as a banner."""
    name, port = split_host(host) or ("127.0.0.1", 80)
    client = f"{CLIENT_PATH}?host={name}&port={port}"

    def widen(match: re.Match) -> str:
        policy = allow_source(match[2], "script-src", f"http://{host}{CLIENT_PATH}")
        policy = allow_source(policy, "connect-src", f"ws://{host}{RELOAD_PATH}")
        return match[1] + policy + match[3]

    page = _CSP.sub(widen, page, count=1)
    page = page.replace("</head>", f'<script src="{html.escape(client)}" defer></script>\n</head>', 1)
    if problems:
        page = _BODY.sub(lambda body: body[0] + error_banner(problems, root), page, count=1)
    return page


def error_banner(problems: list[ContentError], root: Path) -> str:
    items = "".join(f"<li><pre>{html.escape(p.format(root))}</pre></li>" for p in problems)
    return (
        # focused as the page loads, so a screen reader reads it out (an alert present at load is not announced)
        '<div class="casefile-errors" role="alert" tabindex="-1" autofocus><h2>The last edit has errors; showing '
        f"the last good version of the site</h2><ol>{items}</ol></div>"
    )


# ---------------------------------------------------------------------------------------------------
# Handlers
# ---------------------------------------------------------------------------------------------------


class _Private:
    """Refuses a foreign Host before anything else; errors are short plain text, never a traceback."""

    audience: Audience

    def prepare(self) -> None:
        if not self.audience.allows_host(self.request.host):  # type: ignore[attr-defined]
            raise web.HTTPError(400, reason="Unknown Host")

    def write_error(self, status_code: int, **kwargs: object) -> None:
        reason = self._reason  # type: ignore[has-type]  # send_error set it; clear() would reset it to "OK"
        self.clear()  # type: ignore[attr-defined]
        self.set_status(status_code, reason=reason)  # type: ignore[attr-defined]
        self.set_header("Content-Type", "text/plain; charset=utf-8")  # type: ignore[attr-defined]
        why = {
            "Unknown Host": "The dev server answers only http://127.0.0.1, localhost or [::1] with its own port.",
            "Bad Path": "The address holds characters no page of the site can have.",
            "Not Found": "No such page in the site.",
        }.get(self._reason, "The dev server could not answer this request; the terminal says why.")  # type: ignore
        self.finish(f"{status_code} {self._reason}\n\n{why}\n")  # type: ignore[attr-defined]

    def send(self, body: bytes, content_type: str, with_body: bool, status: int = 200) -> None:
        """The answer to GET, or to HEAD the same headers without the body."""
        self.set_status(status)  # type: ignore[attr-defined]
        self.set_header("Content-Type", content_type)  # type: ignore[attr-defined]
        self.set_header("Cache-Control", "no-store")  # type: ignore[attr-defined]
        self.set_header("Content-Length", len(body))  # type: ignore[attr-defined]
        if with_body:
            self.write(body)  # type: ignore[attr-defined]


RELOAD = json.dumps({"command": "reload", "path": "*", "liveCSS": True, "liveImg": True})


class ReloadSocket(_Private, LiveReloadHandler):
    """livereload's socket, open only to pages of this server.

    A page connects a moment after it has loaded, and a reload called in that moment would not reach it: so
    each page served is noted with the number of reloads called so far, and a page that connects having
    missed one is told to reload then.
    """

    joined = 0  # pages that have connected so far: a page told to reload connects again once it has loaded
    _joining = Condition()  # notified at each of them
    reloads = 0  # reloads called since the server started
    served: dict[str, int] = {}  # the path of each page served → the reloads called before it was

    def initialize(self, audience: Audience) -> None:
        self.audience = audience

    def check_origin(self, origin: str) -> bool:
        return self.audience.allows_origin(origin)

    def on_message(self, message: str | bytes) -> None:
        known = self in LiveReloadHandler.waiters
        super().on_message(message)
        if not known and self in LiveReloadHandler.waiters:
            ReloadSocket.joined += 1
            ReloadSocket._joining.notify_all()
            if self.missed_a_reload(json.loads(message).get("url")):
                self.write_message(RELOAD)

    @classmethod
    def missed_a_reload(cls, url: object) -> bool:
        """Whether the page at ``url`` was served before the last reload was called (its socket, just connected,
        was not there to hear it)."""
        path = urlsplit(url).path if isinstance(url, str) else ""
        return cls.served.get(path, cls.reloads) < cls.reloads

    @classmethod
    async def until_joined(cls, count: int, within: float) -> None:
        """Until ``count`` pages have connected since the server started, or ``within`` seconds have passed."""
        deadline = IOLoop.current().time() + within
        while cls.joined < count:
            if not await cls._joining.wait(timeout=deadline):
                return

    @classmethod
    def reload_all(cls) -> int:
        """Tell every open page to reload itself; how many were told."""
        cls.reloads += 1
        told = 0
        for waiter in list(LiveReloadHandler.waiters):
            if waiter.ws_connection is None or waiter.ws_connection.is_closing():
                LiveReloadHandler.waiters.discard(waiter)
            else:
                waiter.write_message(RELOAD)
                told += 1
        return told


class ReloadClient(_Private, web.RequestHandler):
    """livereload's browser client, served from the site's own origin so the page's CSP can allow it."""

    SUPPORTED_METHODS = ("GET", "HEAD")
    FILE = Path(livereload.__file__).parent / "vendors" / "livereload.js"

    def initialize(self, audience: Audience) -> None:
        self.audience = audience

    def get(self) -> None:
        self.send(self.FILE.read_bytes(), "application/javascript", with_body=True)

    def head(self) -> None:
        self.send(self.FILE.read_bytes(), "application/javascript", with_body=False)


@dataclass
class SiteState:
    """What the page handler needs from the running session, read on every request."""

    out: Path
    site: Path
    problems: Callable[[], list[ContentError]]


class SitePage(_Private, web.RequestHandler):
    """A file of the output folder; HTML pages in their serve-mode form; HEAD like GET without a body."""

    SUPPORTED_METHODS = ("GET", "HEAD")

    def initialize(self, audience: Audience, state: SiteState) -> None:
        self.audience, self.state = audience, state

    def compute_etag(self) -> None:
        return None

    def get(self, url_path: str) -> None:
        self._answer(url_path, with_body=True)

    def head(self, url_path: str) -> None:
        self._answer(url_path, with_body=False)

    def _answer(self, url_path: str, with_body: bool) -> None:
        if any(ord(c) < 32 or ord(c) == 127 for c in url_path) or "\\" in url_path:
            raise web.HTTPError(400, reason="Bad Path")
        target = self._file_for(url_path)
        if target is None and self._folder_for(url_path):
            self.redirect(self.request.path + "/")
            return
        status = 200
        if target is None:
            status, target = 404, self._file_for("/404.html")
            if target is None:
                raise web.HTTPError(404)
        body = target.read_bytes()
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type == "text/html":
            if with_body and status == 200:  # a page of the site loaded: as many as the site has, at most
                ReloadSocket.served[self.request.path] = ReloadSocket.reloads
            page = dev_page(body.decode("utf-8"), self.request.host, self.state.problems(), self.state.site)
            body, content_type = page.encode("utf-8"), "text/html; charset=utf-8"
        self.send(body, content_type, with_body, status)

    def _resolve(self, url_path: str) -> Path | None:
        """The path inside the output folder that ``url_path`` names, or None when it leaves it."""
        relative = posixpath.normpath("/" + url_path).lstrip("/")
        out = self.state.out.resolve()
        try:
            target = (out / relative).resolve() if relative not in ("", ".") else out
        except (OSError, RuntimeError, ValueError):
            return None
        return target if target == out or out in target.parents else None

    def _file_for(self, url_path: str) -> Path | None:
        target = self._resolve(url_path)
        if target is not None and target.is_dir() and (url_path.endswith("/") or url_path == ""):
            target = target / "index.html"
        return target if target is not None and target.is_file() else None

    def _folder_for(self, url_path: str) -> bool:
        target = self._resolve(url_path)
        return target is not None and not url_path.endswith("/") and (target / "index.html").is_file()


def _log(handler: web.RequestHandler) -> None:
    """Only failures reach the terminal, one line each, saying why: the page a refused request gets sends its
    reader here."""
    status = handler.get_status()
    if status >= 400:
        request = handler.request
        reason = handler._reason  # type: ignore[attr-defined]
        if reason == "Unknown Host":
            reason = f"refused the Host {request.host!r}: only this computer's addresses are served (see --host)"
        print(f"serve: {status} {request.method} {request.uri}: {reason}", file=sys.stderr)


def application(state: SiteState, audience: Audience) -> web.Application:
    """The dev server: pages, the reload client and its socket; tornado's debug mode stays off."""
    guard = {"audience": audience}
    return web.Application(
        [
            (RELOAD_PATH, ReloadSocket, guard),
            (re.escape(CLIENT_PATH), ReloadClient, guard),
            (r"/(.*)", SitePage, guard | {"state": state}),
        ],
        debug=False,
        serve_traceback=False,
        log_function=_log,
    )
