"""The editing loop: a real `serve` process, real edits, a real HTTP client."""

from __future__ import annotations

import filecmp
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_FILES = {
    "site.yaml": "title: Test investigation\n",
    "content/sources/report.yaml": "title: A report\npublisher: The Paper\nkind: article\nurl: https://example.org/r\n",
    "content/actors/anna.yaml": "name: Anna Example\nkind: person\nsources: [report]\n",
    "content/actors/ministry.yaml": "name: The Ministry\nkind: government-body\nsources: [report]\n",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the page to change")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name, text in SITE_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _start_serve(site: Path) -> tuple[subprocess.Popen, str]:
    """A real `serve` process on a free port, once it answers; the caller stops it."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: "Anna Example" in _get(f"{base}/actors/anna.html"))
    except AssertionError:
        process.kill()
        raise
    return process, base


@pytest.fixture
def server(site: Path) -> Iterator[str]:
    process, base = _start_serve(site)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_edit_break_and_fix_show_in_the_browser(server: str, site: Path) -> None:
    page = f"{server}/actors/anna.html"
    assert "livereload.js" in _get(page)
    anna = site / "content/actors/anna.yaml"

    anna.write_text(SITE_FILES["content/actors/anna.yaml"].replace("Anna Example", "Anna Edited"))
    _wait_for(lambda: "Anna Edited" in _get(page))

    anna.write_text("name: Anna Broken\nkind: persn\nsources: [report]\n")
    _wait_for(lambda: "casefile-errors" in _get(page))
    html = _get(page)
    assert "content/actors/anna.yaml:2:7" in html and "did you mean &#x27;person&#x27;?" in html
    assert "Anna Edited" in html and "Anna Broken" not in html  # the last good page stays

    anna.write_text(SITE_FILES["content/actors/anna.yaml"].replace("Anna Example", "Anna Fixed"))
    _wait_for(lambda: "Anna Fixed" in _get(page) and "casefile-errors" not in _get(page))


def test_editor_swap_files_do_not_break_the_build(server: str, site: Path) -> None:
    (site / "content/actors/.anna.yaml.swp").write_bytes(b"\x00binary swap")
    (site / "content/actors/anna.yaml~").write_text("not: [valid")
    (site / "content/actors/4913").write_text("")
    anna = site / "content/actors/anna.yaml"
    anna.write_text(SITE_FILES["content/actors/anna.yaml"].replace("Anna Example", "Anna Again"))
    page = f"{server}/actors/anna.html"
    _wait_for(lambda: "Anna Again" in _get(page))
    assert "casefile-errors" not in _get(page)


def test_busy_port_is_reported_with_a_suggestion(server: str, site: Path) -> None:
    port = server.rsplit(":", 1)[1]
    other_output = str(site / "second-output")  # the running server holds site/output
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "serve", "--site", str(site), "--port", port, "--out", other_output],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert f"port {port}" in result.stderr and f"--port {int(port) + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def _diff(a: Path, b: Path) -> list[str]:
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.diff_files + cmp.left_only + cmp.right_only)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return found


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


def test_incremental_rebuilds_match_a_full_build(tmp_path: Path) -> None:
    from casefile.incremental import Session
    from casefile.pipeline import SitePaths

    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.yaml", site)
    session = Session(SitePaths(site, site / "output"))
    assert session.full_build()
    shoigu = site / "content/actors/sergei-shoigu.yaml"
    meeting = site / "content/events/test-meeting.yaml"
    edits = [
        lambda: shoigu.write_text(shoigu.read_text().replace("name: Sergei Shoigu", "name: Sergei K. Shoigu")),
        lambda: meeting.write_text(
            "title: A meeting\nkind: meeting\ndate: 2021-05\nparticipants:\n  - actor: sergei-shoigu\n"
            "    sources: [efe-2021-07-07]\nsources: [efe-2021-07-07]\n"
        ),
        lambda: meeting.rename(meeting.with_name("renamed-meeting.yaml")),
        lambda: (site / "content/events/renamed-meeting.yaml").unlink(),
        lambda: (site / "content/actors/sergei-shoigu.md").write_text("He met [[min-aung-hlaing]] [@efe-2021-07-07]\n"),
        # a new (made-up) relation between two actors who meet at the same events: the maps on those events'
        # pages gain an edge although nothing the events point at changed
        lambda: shoigu.write_text(
            shoigu.read_text().replace("roles:\n", "roles:\n  - title: Host\n    of: min-aung-hlaing\n", 1)
        ),
        # a kind change recolours the node on every map that shows it
        lambda: shoigu.write_text(shoigu.read_text().replace("kind: person", "kind: government-body")),
        lambda: shoigu.write_text(shoigu.read_text().replace("summary:", "summary: Edited.", 1)),
    ]
    for number, edit in enumerate(edits):
        before = _stamps(site / "content")
        edit()
        after = _stamps(site / "content")
        # the paths file-system events would name, so the scan-free path is exercised as `serve` uses it
        session.rebuild({path for path in before.keys() | after.keys() if before.get(path) != after.get(path)})
        full = tmp_path / f"full-{number}"
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--out", str(full)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert _diff(full, site / "output") == [], f"after edit {number}"


def test_new_writes_a_template_and_refuses_to_overwrite(site: Path) -> None:
    command = [sys.executable, str(ROOT / "build.py"), "new", "event", "first-visit", "--site", str(site)]
    assert subprocess.run(command, cwd=ROOT, capture_output=True, text=True).returncode == 0
    written = (site / "content/events/first-visit.yaml").read_text()
    assert "title:" in written and "participants:" in written and "# " in written
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (site / "content/events/first-visit.yaml").read_text() == written


def test_ctrl_c_stops_cleanly(site: Path) -> None:
    process, _ = _start_serve(site)
    try:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "stopped" in output and "Traceback" not in output
