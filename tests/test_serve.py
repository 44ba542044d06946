"""The editing loop: a real `serve` process, real edits, a real HTTP client."""

from __future__ import annotations

import filecmp
import shutil
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BASE, example_only, http_get, make_site, start_serve, stop_serve, wait_for

ROOT = Path(__file__).resolve().parent.parent
SITE_FILES = {
    "site.yaml": "title: Test investigation\n",
    "content/sources/report.yaml": "title: A report\npublisher: The Paper\nkind: article\nurl: https://example.org/r\n",
    "content/actors/anna.yaml": "name: Anna Example\nkind: person\nsources: [report]\n",
    "content/actors/ministry.yaml": "name: The Ministry\nkind: government-body\nsources: [report]\n",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name, text in SITE_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture
def server(site: Path) -> Iterator[str]:
    process, base = start_serve(site)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_edit_break_and_fix_show_on_the_served_page(server: str, site: Path) -> None:
    page = f"{server}/actors/anna.html"
    assert "livereload.js" in http_get(page)
    anna = site / "content/actors/anna.yaml"

    anna.write_text(SITE_FILES["content/actors/anna.yaml"].replace("Anna Example", "Anna Edited"))
    wait_for(lambda: "Anna Edited" in http_get(page))

    anna.write_text("name: Anna Broken\nkind: persn\nsources: [report]\n")
    wait_for(lambda: "casefile-errors" in http_get(page))
    html = http_get(page)
    assert "content/actors/anna.yaml:2:7" in html and "did you mean &#x27;person&#x27;?" in html
    assert "Anna Edited" in html and "Anna Broken" not in html  # the last good page stays

    anna.write_text(SITE_FILES["content/actors/anna.yaml"].replace("Anna Example", "Anna Fixed"))
    wait_for(lambda: "Anna Fixed" in http_get(page) and "casefile-errors" not in http_get(page))


def test_editor_swap_files_do_not_break_the_build(server: str, site: Path) -> None:
    (site / "content/actors/.anna.yaml.swp").write_bytes(b"\x00binary swap")
    (site / "content/actors/anna.yaml~").write_text("not: [valid")
    (site / "content/actors/4913").write_text("")
    anna = site / "content/actors/anna.yaml"
    anna.write_text(SITE_FILES["content/actors/anna.yaml"].replace("Anna Example", "Anna Again"))
    page = f"{server}/actors/anna.html"
    wait_for(lambda: "Anna Again" in http_get(page))
    assert "casefile-errors" not in http_get(page)


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


@example_only
def test_incremental_rebuilds_match_a_full_build(tmp_path: Path) -> None:
    from casefile.dev.incremental import Session
    from casefile.pipeline import SitePaths

    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.yaml", site)
    session = Session(SitePaths(site, site / "output"), jobs=2)  # as `serve` on two cores: the full build forks
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
        session.settle()  # the search index is rebuilt in the background
        full = tmp_path / f"full-{number}"
        result = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--site", str(site), "--out", str(full)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert _diff(full, site / "output") == [], f"after edit {number}"


def test_a_second_save_within_the_grace_never_brings_back_the_first(tmp_path: Path) -> None:
    """serve rewrites the edited page, reloads, and calls the rest of the rebuild once the page has loaded; a save in
    between runs the first's rest itself, so when the first's timer fires it must not render the first save's
    pages again over the second's."""
    from casefile.dev.incremental import Session
    from casefile.pipeline import SitePaths

    site = make_site(tmp_path / "site", BASE)
    session = Session(SitePaths(site, site / "output"))
    assert session.full_build()
    russia = site / "content/actors/russia.yaml"
    text = russia.read_text()
    russia.write_text(text.replace("summary: ", "summary: First. "))
    first_rest = session.rebuild_edited({str(russia)})
    russia.write_text(text.replace("summary: ", "summary: Second. "))
    second_rest = session.rebuild_edited({str(russia)})
    exported = site / "output/actors/russia.json"
    before = _stamps(site / "output")
    assert first_rest() is False  # the first save's timer, late: its rest already ran, nothing more to write
    assert _stamps(site / "output") == before
    second_rest()
    session.settle()
    assert "Second. The Russian Federation." in exported.read_text()


def test_a_template_change_that_failed_to_build_is_built_once_the_content_is_fixed(site: Path) -> None:
    """A template edited while the content is broken cannot be built; once the content is fixed, every page gets the
    new template, not only the pages the fix affects."""
    from casefile.dev.incremental import Session
    from casefile.pipeline import SitePaths

    session = Session(SitePaths(site, site / "output"))
    assert session.full_build()
    base = (ROOT / "templates" / "base.html").read_text()
    (site / "templates").mkdir()
    (site / "templates" / "base.html").write_text(base.replace('<main id="main">', '<main id="main">NEW-TEMPLATE'))
    anna = site / "content/actors/anna.yaml"
    anna.write_text("name: Anna Broken\nkind: persn\nsources: [report]\n")
    assert not session.rebuild()
    anna.write_text(SITE_FILES["content/actors/anna.yaml"])
    session.rebuild()
    session.settle()
    assert "NEW-TEMPLATE" in (site / "output" / "actors" / "ministry.html").read_text()


def test_new_writes_a_template_and_refuses_to_overwrite(site: Path) -> None:
    command = [sys.executable, str(ROOT / "build.py"), "new", "event", "first-visit", "--site", str(site)]
    first = subprocess.run(command, cwd=site, capture_output=True, text=True)
    assert first.returncode == 0
    assert "wrote content/events/first-visit.yaml: fill in the fields, then save" in first.stderr
    # where footnoted text goes: the narrative beside the dossier (not written: it is optional)
    assert "its text, with footnotes ([@source-id]), goes in content/events/first-visit.md" in first.stderr
    written = (site / "content/events/first-visit.yaml").read_text()
    assert "title:" in written and "participants:" in written and "# " in written
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (site / "content/events/first-visit.yaml").read_text() == written


def test_ctrl_c_stops_cleanly(site: Path) -> None:
    process, _ = start_serve(site)
    output = stop_serve(process)
    assert process.returncode == 0
    assert "stopped" in output and "Traceback" not in output


def _indexing_into(out: Path) -> list[str]:
    """The command lines of running processes that name ``out``: a Pagefind still indexing it."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ")
        except OSError:  # ended meanwhile
            continue
        if b"pagefind" in command and str(out).encode() in command:
            found.append(command.decode(errors="replace"))
    return found


@example_only
def test_stopping_serve_stops_the_search_index_it_was_rebuilding(tmp_path: Path) -> None:
    """After each save the index is rebuilt in the background; stopping the server stops that Pagefind too, and
    leaves the last complete index in place and nothing half-written beside it."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.yaml", site)
    process, _ = start_serve(site)
    shoigu = site / "content/actors/sergei-shoigu.yaml"
    shoigu.write_text(shoigu.read_text().replace("name: Sergei Shoigu", "name: Sergei K. Shoigu"))
    printed = []
    for line in process.stdout:  # the rest of the rebuild is written: the background index starts now
        printed.append(line)
        if line.startswith("rebuilt:"):
            break
    output = stop_serve(process)
    assert process.returncode == 0 and "stopped" in output, "".join(printed) + output
    out = site / "output"
    assert _indexing_into(out) == []
    assert (out / "pagefind" / "pagefind.js").is_file()
    assert sorted(p.name for p in out.glob(".pagefind*")) == []


# --------------------------------------------------------------------------------------------
# The dev server answers only its owner, and never with a traceback
# --------------------------------------------------------------------------------------------


def _raw(base: str, request: str) -> bytes:
    """Send ``request`` (CRLF added) as raw bytes and read the answer as a browser would see it: headers,
    then as many body bytes as Content-Length says (none after a 101 or a HEAD), else up to the close."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(request.replace("\n", "\r\n").encode("latin-1") + b"\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            headers, found, body = answer.partition(b"\r\n\r\n")
            lengths = [line[15:] for line in headers.lower().split(b"\r\n") if line.startswith(b"content-length:")]
            if found and (b" 101 " in headers.split(b"\r\n")[0] or lengths and len(body) >= int(lengths[0])):
                if not request.startswith("HEAD"):
                    break
    return answer


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _get_with_host(base: str, path: str, host: str) -> bytes:
    return _raw(base, f"GET {path} HTTP/1.1\nHost: {host}\nConnection: close\n")


def _open_socket(base: str, origin: str, host: str | None = None) -> bytes:
    host = host or base.removeprefix("http://")
    return _raw(
        base,
        f"GET /livereload HTTP/1.1\nHost: {host}\nUpgrade: websocket\nConnection: Upgrade\n"
        f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\nOrigin: {origin}\n",
    )


def test_a_foreign_host_is_refused_which_stops_dns_rebinding(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        assert _status(_get_with_host(server, "/actors/anna.html", host)) == 200, host
    for host in (
        f"attacker.example:{port}",
        "127.0.0.1:1",
        f"127.0.0.1.attacker.example:{port}",
        f"x@127.0.0.1:{port}",
    ):
        answer = _get_with_host(server, "/actors/anna.html", host)
        assert _status(answer) == 400, host
        assert b"Anna Example" not in answer and b"Traceback" not in answer


def test_a_refused_request_is_explained_in_the_terminal(site: Path) -> None:
    """The page a refused request gets says the dev server answers only this computer, or that the terminal says
    why: the terminal does, in one line, without a traceback."""
    process, base = start_serve(site)
    port = base.rsplit(":", 1)[1]
    try:
        refused = _get_with_host(base, "/actors/anna.html", f"attacker.example:{port}")
        other = _raw(base, f"DELETE /actors/anna.html HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
        _get_with_host(base, "/actors/anna.html", f"127.0.0.1:{port}")  # answered after the two lines are printed
    finally:
        printed = stop_serve(process)
    assert _status(refused) == 400 and _status(other) == 405
    assert b"400 Unknown Host" in refused and b"answers only http://127.0.0.1, localhost or [::1]" in refused
    assert b"the terminal says why" in other
    assert f"serve: 400 GET /actors/anna.html: refused the Host 'attacker.example:{port}'" in printed, printed
    assert "serve: 405 DELETE /actors/anna.html: Method Not Allowed" in printed, printed
    assert "Traceback" not in printed


def test_the_reload_socket_refuses_a_foreign_origin(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    assert _status(_open_socket(server, f"http://127.0.0.1:{port}")) == 101
    assert _status(_open_socket(server, f"http://localhost:{port}", host=f"localhost:{port}")) == 101
    for origin in ("http://attacker.example", f"http://attacker.example:{port}", "null", "http://127.0.0.1:1"):
        assert _status(_open_socket(server, origin)) == 403, origin
    assert _status(_open_socket(server, f"http://attacker.example:{port}", host=f"attacker.example:{port}")) == 400


def test_head_answers_like_get_without_a_body(server: str) -> None:
    for path in ("/actors/anna.html", "/static/casefile.css", "/livereload.js", "/"):
        head = _raw(server, f"HEAD {path} HTTP/1.1\nHost: {server.removeprefix('http://')}\nConnection: close\n")
        headers, _, body = head.partition(b"\r\n\r\n")
        assert _status(head) == 200, path
        assert body == b"", path
        length = int(next(line for line in headers.split(b"\r\n") if line.lower().startswith(b"content-length:"))[15:])
        with urllib.request.urlopen(server + path, timeout=5) as response:
            assert length == len(response.read()), path


def test_bad_paths_get_a_plain_error_without_traceback_or_local_path(server: str, site: Path) -> None:
    host = server.removeprefix("http://")
    for path in ("/static/%00", "/actors/%00anna.html", "/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd", "/%ff"):
        answer = _get_with_host(server, path, host)
        assert 400 <= _status(answer) < 500, path
        assert b"Traceback" not in answer and str(site).encode() not in answer and str(ROOT).encode() not in answer
        assert b"root:" not in answer, path
    missing = _get_with_host(server, "/actors/nobody.html", host)
    assert _status(missing) == 404 and b"Traceback" not in missing


def test_serving_beyond_this_machine_warns_that_the_site_is_visible(site: Path) -> None:
    output = stop_serve(start_serve(site, "--host", "0.0.0.0")[0])
    assert "warning: serving on 0.0.0.0" in output and "unpublished" in output
    assert "warning" not in stop_serve(start_serve(site)[0])


@pytest.mark.parametrize(
    "broken",
    [b"name: Anna\x00 Nul\nkind: person\n", b"name: " + b"[" * 100_000 + b"\n", b"\xff\xfe not text"],
    ids=["nul-byte", "deep-nesting", "not-utf8"],
)
def test_whatever_breaks_a_build_shows_in_the_banner_not_as_a_traceback(site: Path, broken: bytes) -> None:
    process, base = start_serve(site)
    page = f"{base}/actors/anna.html"
    try:
        (site / "content/actors/anna.yaml").write_bytes(broken)
        wait_for(lambda: "casefile-errors" in http_get(page), what="the error banner")
        assert "content/actors/anna.yaml:" in http_get(page) and "Anna Example" in http_get(page)
        (site / "content/actors/anna.yaml").write_text(SITE_FILES["content/actors/anna.yaml"])
        wait_for(lambda: "casefile-errors" not in http_get(page), what="the banner to go")
    finally:
        output = stop_serve(process)
    assert "Traceback" not in output and "content/actors/anna.yaml:" in output


def test_a_broken_template_shows_in_the_banner_at_its_line(site: Path) -> None:
    process, base = start_serve(site)
    page = f"{base}/actors/anna.html"
    template = site / "templates/actor.html"
    try:
        template.parent.mkdir()
        template.write_text('{% extends "base.html" %}\n{% block content %}{{ no_such_value }}{% endblock %}\n')
        wait_for(lambda: "casefile-errors" in http_get(page), what="the error banner")
        assert "templates/actor.html:2:" in http_get(page) and "no_such_value" in http_get(page)
        template.unlink()
        wait_for(lambda: "casefile-errors" not in http_get(page), what="the banner to go")
    finally:
        output = stop_serve(process)
    assert "Traceback" not in output and "templates/actor.html:2:" in output
