"""Shared helpers: tiny investigation folders built from dicts, the real
``build.py`` run as a subprocess, and a small HTML tree from the stdlib parser."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError as error:  # pragma: no cover - depends on the environment
    sync_playwright = None
    PLAYWRIGHT_ERROR: str | None = str(error)
else:
    PLAYWRIGHT_ERROR = None

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build.py"

# The repository ships the example investigation at its root. Its own tests (what the five reports say, how
# its pages look) skip once content/ is someone else's: the generator's tests build fixture sites instead.
EXAMPLE_TITLE = "Russia–Myanmar military ties"


def _example_missing() -> str | None:
    """Why the repository's content/ is not the shipped example, or None when it is."""
    try:
        title = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))["title"]
    except (OSError, yaml.YAMLError, TypeError, KeyError):
        return "there is no readable site.yaml with a title at the repository's root"
    if title != EXAMPLE_TITLE:
        return f"site.yaml's title is {title!r}, not the example's {EXAMPLE_TITLE!r}"
    return None


# Every build the suite runs keeps its cache (casefile/output/cache.py) in a folder of this run's, not in the user's
# own cache folder; tests of where the cache goes by default set HOME and XDG_CACHE_HOME themselves.
if "CASEFILE_CACHE_DIR" not in os.environ:
    os.environ["CASEFILE_CACHE_DIR"] = tempfile.mkdtemp(prefix="casefile-test-cache-")
    atexit.register(shutil.rmtree, os.environ["CASEFILE_CACHE_DIR"], True)

EXAMPLE_MISSING = _example_missing()
EXAMPLE_REASON = f"a test of the shipped example investigation, and content/ is someone else's: {EXAMPLE_MISSING}"
example_only = pytest.mark.skipif(EXAMPLE_MISSING is not None, reason=EXAMPLE_REASON)


def require_example() -> None:
    """In a fixture that builds the example: skip every test that uses it when content/ is someone else's."""
    if EXAMPLE_MISSING is not None:
        pytest.skip(EXAMPLE_REASON)


# --------------------------------------------------------------------------------------------
# The valid base investigation.  Every test that needs a "good" site starts from this.
# --------------------------------------------------------------------------------------------

BASE: dict[str, str] = {
    "site.yaml": """\
title: Test investigation
description: A tiny investigation for the test suite.
accepted_warnings:
  source-without-url: [myanmar-now-2021]
""",
    # Actors: Min Aung Hlaing holds a role of the Tatmadaw, the Tatmadaw one of Russia.
    "content/actors/russia.yaml": """\
name: Russia
kind: state
summary: The Russian Federation.
sources: [moscow-times-2021]
""",
    "content/actors/tatmadaw.yaml": """\
name: Tatmadaw
kind: military-unit
aliases: [Myanmar armed forces]
summary: Myanmar's armed forces.
roles:
  - title: Arms customer
    of: russia
    sources: [moscow-times-2021]
sources: [myanmar-now-2021]
""",
    "content/actors/min-aung-hlaing.yaml": """\
name: Min Aung Hlaing
kind: person
summary: Commander-in-chief of Myanmar's armed forces.
roles:
  - title: Commander-in-chief
    of: tatmadaw
    from: 2011-03
    sources: [myanmar-now-2021]
sources: [moscow-times-2021]
""",
    "content/actors/min-aung-hlaing.md": """\
Min Aung Hlaing leads the [[tatmadaw]].

He received a Russian delegation [@myanmar-now-2021, p. 3].

The visit was reported on both sides [@moscow-times-2021; @sipri-arms-data].
""",
    # A deal with two parties and two values that disagree, each from another source.
    "content/deals/pantsir-contract.yaml": """\
title: Pantsir-S1 contract
kind: contract
summary: Air-defence systems sold to the Tatmadaw.
parties:
  - actor: russia
    role: seller
    sources: [moscow-times-2021]
  - actor: tatmadaw
    role: buyer
    sources: [myanmar-now-2021]
items:
  - what: Pantsir-S1 air-defence systems
    quantity: 6
    sources: [moscow-times-2021]
values:
  - text: $1.5 billion
    amount: 1500000000
    currency: USD
    sources: [{id: myanmar-now-2021, citing: [sipri-arms-data]}]
  - text: $807 million
    amount: 807000000
    currency: USD
    sources: [moscow-times-2021]
dates:
  signed: 2018-01
status: reported signed
sources: [moscow-times-2021]
""",
    "content/events/naval-visit.yaml": """\
title: Russian naval delegation visits Myanmar
kind: visit
date: 2021-06-13/2021-06-19
place: Naypyitaw and Yangon
participants:
  - actor: min-aung-hlaing
    role: received the delegation
    sources: [myanmar-now-2021]
  - actor: russia
    sources: [moscow-times-2021]
claims:
  - text: The purpose of the visit was not made public.
    sources: [moscow-times-2021]
sources: [moscow-times-2021]
""",
    # Three sources: one with a URL, one without, one known only through another report.
    "content/sources/moscow-times-2021.yaml": """\
title: Russia to deepen ties with Myanmar's military
publisher: The Moscow Times
authors: [Uliana Pavlova]
date: 2021-03-26
url: https://www.themoscowtimes.com/2021/03/26/russia-myanmar-a73387
kind: article
language: en
""",
    "content/sources/myanmar-now-2021.yaml": """\
title: Russia's embrace of the junta
publisher: Myanmar Now
date: 2021-07
kind: article
cites:
  - id: sipri-arms-data
    note: SIPRI arms-transfer data
""",
    "content/sources/sipri-arms-data.yaml": """\
title: SIPRI Arms Transfers Database
publisher: SIPRI
url: https://www.sipri.org/databases/armstransfers
kind: database
read: false
""",
    "content/pages/index.md": """\
---
title: About this investigation
---
This site follows the [[pantsir-contract]] and the [[naval-visit]] [@moscow-times-2021].
""",
    "content/pages/method.md": """\
---
title: How we source
summary: Our rules.
order: 1
---
We cite every statement.

See [[tatmadaw|the armed forces]].
""",
}

# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def make_site(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write ``files`` (relative path → text, bytes, or None to delete) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return root


def cache_of(site: Path) -> Path:
    """The folder where builds of ``site`` keep their cache (outside it)."""
    from casefile.output.cache import site_folder

    return site_folder(site.resolve())


def run_build(site: Path, *args: str, out: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real ``build.py`` from inside ``site`` with ``--site .``, so paths print relative."""
    command = [sys.executable, str(BUILD), *args, "--site", "."]
    if out is not None:
        command += ["--out", str(out)]
    return subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=180)


def built_site(root: Path, files: dict[str, str | bytes | None], *args: str) -> tuple[Path, str]:
    """``files`` written as a site in ``root`` and built with the real ``build.py``: (the site, what the build
    printed). The build must succeed: a fixture site that does not build is a broken test."""
    site = make_site(root, files)
    result = run_build(site, *args)
    assert result.returncode == 0, result.stderr
    return site, result.stderr


def built_output(site: Path) -> Path:
    """``site`` built by the real ``build.py``, which must succeed (a fixture that does not build is a broken test):
    its output folder."""
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site / "output"


def run_builds(jobs: list[tuple[Path, tuple[str, ...]]]) -> list[subprocess.CompletedProcess[str]]:
    """``run_build(site, *args)`` for every job, a few at a time (each build is a fresh Python)."""
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        return list(pool.map(lambda job: run_build(job[0], *job[1]), jobs))


def cached_and_cold(site: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, bytes]]:
    """A cached build of ``site`` and, at the same time, a build from scratch of it elsewhere: its output."""
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    cached, reference = run_builds([(site, ()), (site, ("--no-cache", "--out", str(cold)))])
    assert cached.returncode == reference.returncode == 0, cached.stderr + reference.stderr
    assert "Traceback" not in cached.stderr
    return cached, snapshot(cold)


def build_each(folders: dict[str, Path]) -> dict[str, Path]:
    """Every site of ``folders`` (by a name such as its language) built at once; the name → its output folder."""
    results = run_builds([(folder, ()) for folder in folders.values()])
    for name, result in zip(folders, results, strict=True):
        assert result.returncode == 0, f"{name}: {result.stderr}"
    return {name: folder / "output" for name, folder in folders.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(predicate: Callable[[], bool], seconds: float = 15, what: str = "the page to change") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT/`` serving ``folder`` with Python's http.server, as a reader's browser sees
    a published site; the server is stopped afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(lambda: server.poll() is None and bool(http_get(url + "robots.txt")), what="http.server to answer")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def start_serve(site: Path, *args: str, ready: str = "/") -> tuple[subprocess.Popen, str]:
    """A real `serve` process on a free port, once ``ready`` answers; the caller stops it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(BUILD), "serve", "--site", str(site), "--port", str(port), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: bool(http_get(base + ready)), what=f"serve to answer on port {port}")
    except AssertionError as timeout:
        process.kill()
        raise AssertionError(f"{timeout}; serve printed:\n{process.communicate()[0]}") from None
    return process, base


def stop_serve(process: subprocess.Popen) -> str:
    """Ctrl-C a `serve` process as a journalist would; everything it printed."""
    try:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    return output


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path → bytes)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base site, built once into its default ``output/``; treat as read-only."""
    site, printed = built_site(tmp_path_factory.mktemp("base") / "site", BASE)
    assert "warning" not in printed, printed
    return site


@pytest.fixture()
def base_site(built_base: Path, tmp_path: Path) -> Path:
    """A private copy of the built base site (content and a good ``output/``)."""
    return Path(shutil.copytree(built_base, tmp_path / "site"))


# --------------------------------------------------------------------------------------------
# Another user: files a build may not read, folders someone else made read-only
# --------------------------------------------------------------------------------------------


def another_user() -> list[str]:
    """The words that run a command as a user to whom the test's locked files are closed: nobody (via setpriv or
    runuser) when the suite runs as root, whom permission bits do not stop; none otherwise."""
    if os.geteuid() != 0:
        return []
    if setpriv := shutil.which("setpriv"):
        return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    if runuser := shutil.which("runuser"):
        return [runuser, "-u", "nobody", "--"]
    pytest.skip("running as root, and neither setpriv nor runuser is here to run the build as another user")


def open_to_that_user(folder: Path) -> None:
    """Everything under ``folder`` readable and writable by the user of :func:`another_user`."""
    for path in [folder, *folder.rglob("*")]:
        if os.geteuid() == 0:
            os.chown(path, 65534, 65534, follow_symlinks=False)


def close_to_that_user(path: Path) -> None:
    """``path`` owned by root and closed to others (as root), or closed to its owner (not as root)."""
    if os.geteuid() == 0:
        os.chown(path, 0, 0)
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    else:
        os.chmod(path, 0)


@pytest.fixture()
def shared_tmp() -> Iterator[Path]:
    """A folder under the system's temporary folder that another user can enter (pytest's are private)."""
    folder = Path(tempfile.mkdtemp(prefix="casefile-shared-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(folder)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Node:
    """An element: tag, attributes, children (elements and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    def iter(self) -> Iterator[Node]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, predicate: Callable[[Node], bool] | None = None, **attrs: str
    ) -> list[Node]:
        """Elements with ``tag`` whose attributes equal ``attrs`` (``class_`` matches one class)."""
        found = []
        for node in self.iter():
            if tag is not None and node.tag != tag:
                continue
            if "class_" in attrs and attrs["class_"] not in node.classes:
                continue
            if any(node.attrs.get(k) != v for k, v in attrs.items() if k != "class_"):
                continue
            if predicate is not None and not predicate(node):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        """Text content with whitespace collapsed."""
        parts: list[str] = []

        def collect(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    collect(child)

        collect(self)
        return " ".join("".join(parts).split())

    @property
    def ids(self) -> set[str]:
        return {n.attrs["id"] for n in self.iter() if "id" in n.attrs}

    def hrefs(self) -> list[str]:
        return [a.attrs["href"] for a in self.find_all("a") if "href" in a.attrs]

    def section(self, heading: str) -> Node:
        """The ``<section>`` whose ``<h2>`` reads ``heading``; fails the test if there is none."""
        for node in self.find_all("section"):
            h2 = node.find("h2")
            if h2 is not None and h2.text == heading:
                return node
        raise AssertionError(f"no section headed {heading!r}")


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def load_html(path: Path) -> Node:
    return parse_html(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------
# A real browser: Debian's chromium driven by Playwright, with its own defences left on
# --------------------------------------------------------------------------------------------

# Stop chromium from resolving any name but loopback (it looks up Google hosts on its own otherwise).
RESOLVER_RULES = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"


def missing_tool(reason: str) -> None:
    """Skip for want of a tool, unless this is CI, which must run the browser tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{reason} (CI=true: the browser tests must run in CI, so this fails instead of skipping)", pytrace=False
        )
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    problems = []
    if sync_playwright is None:
        problems.append(f"Playwright for Python is not importable ({PLAYWRIGHT_ERROR}); install requirements-dev.txt")
    chromium = shutil.which("chromium")
    if chromium is None:
        problems.append("no `chromium` on PATH (apt-get install chromium; never `playwright install`)")
    if problems:
        missing_tool("browser tests cannot run: " + "; ".join(problems))
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=[RESOLVER_RULES])
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()
