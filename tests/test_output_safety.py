"""The output folder (issue 10): a wrong --out is refused before anything is touched, one build
or serve writes at a time, and no kill, full disk or read-only folder loses the previous site or
leaves a temporary folder behind."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BASE, BUILD, ROOT, another_user, http_get, make_site, open_to_that_user, run_build, snapshot

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

MARKER = ".casefile-output"
INTERRUPTED = "interrupted: the previous site in output/ is unchanged\n"


def _build(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(BUILD), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def _start(site: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, str(BUILD), *args, "--site", "."]
    return subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``folder``: what a refused build must not change."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


def _leftovers(folder: Path, removal: float = 20) -> list[str]:
    """The temporary folders and lock beside the output, once the previous sites the build deletes in the
    background (``-deleted-`` folders) are gone, or ``removal`` seconds have passed."""
    deadline = time.monotonic() + removal
    while True:
        found = sorted(p.name for p in folder.iterdir() if re.search(r"\.(new|old)-|\.lock$", p.name))
        if not any("-deleted-" in name for name in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[str], timeout: float = 60) -> float:
    """Seconds until ``condition`` holds, polled every 5 ms while ``process`` runs."""
    start = time.monotonic()
    while not condition():
        assert process.poll() is None, f"the build ended first: {process.stderr.read() if process.stderr else ''}"
        assert time.monotonic() - start < timeout, "timed out"
        time.sleep(0.005)
    return time.monotonic() - start


def _staging(site: Path) -> Callable[[], bool]:
    return lambda: any(site.glob(".output.new-*"))


# ------------------------------------------------------------------------------ refused --out


REFUSED = {
    "the site folder": (".", "is the site folder"),
    "content/": ("content", "is content/"),
    "a folder in content/": ("content/actors", "is inside content/"),
    "a new folder in content/": ("content/new", "is inside content/"),
    "templates/ (even before it exists)": ("templates", "is templates/"),
    "a folder in static/": ("static/site", "is inside static/"),
    "the folder holding the site": ("..", "contains the site folder"),
    "the root folder": ("/", "is the root of the disk"),
    "a file": ("site.yaml", "is a file, not a folder"),
    "a link to the site folder": ("../link", "is the site folder"),
    "a folder of other files": ("../photos", "holds files that Casefile did not write"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_dangerous_out_is_refused_before_anything_is_touched(base_site: Path, case: str) -> None:
    out, expected = REFUSED[case]
    (base_site.parent / "link").symlink_to(base_site)
    make_site(base_site.parent, {"photos/holiday.jpg": b"\xff\xd8 not ours"})
    before = _tree(base_site.parent)
    result = _build(base_site, "--site", ".", "--out", out)
    assert result.returncode == 1, result.stderr
    assert f"error: --out {expected}" in result.stderr
    assert "hint: choose a new or empty folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(base_site.parent) == before


def test_the_current_folder_is_refused(base_site: Path, tmp_path: Path) -> None:
    """An empty folder would do, but not the one the journalist is standing in."""
    here = tmp_path / "here"
    here.mkdir()
    result = _build(here, "--site", str(base_site), "--out", ".")
    assert result.returncode == 1 and "error: --out is the current folder" in result.stderr, result.stderr
    assert list(here.iterdir()) == []


def test_the_home_folder_is_refused(base_site: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = _build(base_site, "--site", ".", "--out", str(home), env=os.environ | {"HOME": str(home)})
    assert result.returncode == 1 and "error: --out is your home folder" in result.stderr, result.stderr
    assert list(home.iterdir()) == []


@pytest.mark.parametrize("out", ["output", "public", "../empty", "../new/deeper"])
def test_safe_out_is_built_and_marked(base_site: Path, out: str) -> None:
    """The default output (written before), a new folder in the site, an empty and a new folder elsewhere."""
    (base_site.parent / "empty").mkdir()
    result = run_build(base_site, out=Path(out))
    assert result.returncode == 0, result.stderr
    folder = base_site / out
    assert (folder / "index.html").is_file() and (folder / MARKER).is_file()
    assert _leftovers(folder.parent) == []


# ------------------------------------------------------------------------------ one writer at a time


@pytest.fixture()
def mid_site(tmp_path: Path) -> Path:
    """A generated 600-dossier site: its build lasts long enough to be caught in the middle."""
    site = tmp_path / "mid"
    generate(site, 600, narratives=False)
    return site


def test_second_build_waits_for_the_first(mid_site: Path) -> None:
    first = _start(mid_site)
    _wait_until(lambda: (mid_site / ".output.lock").exists(), first)
    second = _start(mid_site)
    first_err, second_err = first.communicate(timeout=120)[1], second.communicate(timeout=120)[1]
    assert first.returncode == 0 and second.returncode == 0, first_err + second_err
    assert f"waiting: another build (process {first.pid}) is writing" in second_err
    assert (mid_site / "output" / "index.html").is_file() and (mid_site / "output" / MARKER).is_file()
    assert _leftovers(mid_site) == []


def _answers(port: int) -> bool:
    try:
        http_get(f"http://127.0.0.1:{port}/")
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def test_build_is_refused_while_serve_writes_the_same_output(base_site: Path) -> None:
    before = snapshot(base_site / "output")
    port = _free_port()
    server = _start(base_site, "serve", "--port", str(port))
    try:
        lock = base_site / ".output.lock"
        _wait_until(lambda: lock.exists() and "serve" in lock.read_text(), server)
        result = run_build(base_site)
        assert result.returncode == 1
        assert f"error: serve (process {server.pid}) is writing this output folder" in result.stderr
        assert "python build.py" not in result.stderr  # the journalist may have typed `casefile serve`
        assert "hint: stop it first" in result.stderr
        _wait_until(lambda: _answers(port), server)  # serving, past its first build: SIGTERM now stops it cleanly
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert server.returncode == 0 and "Traceback" not in server.stderr.read()
    assert snapshot(base_site / "output") == before
    assert _leftovers(base_site) == []  # serve, stopped by SIGTERM, let go of its lock


# ------------------------------------------------------------------------------ nothing left behind


def test_next_build_clears_what_a_killed_build_left(mid_site: Path) -> None:
    """SIGKILL (a crash: no handler runs) in the middle of writing leaves a staging folder and the lock."""
    build = _start(mid_site)
    _wait_until(_staging(mid_site), build)
    build.kill()
    build.wait()
    assert _leftovers(mid_site), "the kill came too late to leave anything"
    result = run_build(mid_site)
    assert result.returncode == 0, result.stderr
    assert _leftovers(mid_site) == []
    assert sorted(p.name for p in mid_site.iterdir()) == ["content", "output", "site.yaml"]


def test_kill_between_the_renames_gets_the_previous_site_back(base_site: Path) -> None:
    """The state a build killed between its two renames leaves: no output/, the old site parked beside it."""
    before = snapshot(base_site / "output")
    (base_site / "output").rename(base_site / ".output.old-999999")
    make_site(base_site, {".output.new-999999/index.html": "half written", "content/actors/russia.yaml": "name: ["})
    result = run_build(base_site)
    assert result.returncode == 1 and "russia.yaml" in result.stderr, result.stderr
    assert snapshot(base_site / "output") == before
    assert _leftovers(base_site) == []


def test_a_previous_site_left_to_delete_is_deleted_never_restored(base_site: Path) -> None:
    """A build killed while its previous site was being deleted in the background left it behind."""
    (base_site / "output").rename(base_site / ".output.old-999999-deleted-1")
    make_site(base_site, {"content/actors/russia.yaml": "name: ["})
    result = run_build(base_site)
    assert result.returncode == 1 and "russia.yaml" in result.stderr, result.stderr
    assert not (base_site / "output").exists()
    assert _leftovers(base_site) == []


def test_a_read_only_previous_site_is_deleted_all_the_same(built_base: Path, shared_tmp: Path) -> None:
    """A previous site whose folders someone made read-only: its owner may still delete it, and the build does."""
    site = Path(shutil.copytree(built_base, shared_tmp / "site"))
    home = shared_tmp / "home"
    home.mkdir()
    open_to_that_user(shared_tmp)
    for folder in [site / "output", *(p for p in (site / "output").rglob("*") if p.is_dir())]:
        folder.chmod(0o555)
    make_site(site, {"content/actors/russia.yaml": BASE["content/actors/russia.yaml"].replace("Russia\n", "Rossiya\n")})
    command = [*another_user(), sys.executable, str(BUILD), "--site", ".", "--no-search"]
    env = os.environ | {"HOME": str(home), "CASEFILE_CACHE_DIR": str(home / "cache")}
    result = subprocess.run(command, cwd=site, capture_output=True, text=True, timeout=180, env=env)
    assert result.returncode == 0, result.stderr
    assert "Rossiya" in (site / "output/actors/russia.html").read_text(encoding="utf-8")
    assert _leftovers(site) == []


def _elsewhere(tmp_path: Path) -> Path:
    """A folder outside the investigation, with a private file in it that no build may touch."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    (folder / "notes.txt").chmod(0o600)
    return folder


def _untouched(folder: Path) -> bool:
    notes = folder / "notes.txt"
    return (
        [p.name for p in folder.iterdir()] == ["notes.txt"]
        and notes.read_text(encoding="utf-8") == "mine\n"
        and (notes.stat().st_mode & 0o777 == 0o600)
    )


@pytest.mark.parametrize(
    "planted", [".output.lock", ".output.old-5-deleted-6", ".output.old-7", ".output.new-8"], ids=lambda n: n[8:11]
)
def test_a_link_planted_beside_the_output_is_never_followed(base_site: Path, tmp_path: Path, planted: str) -> None:
    """The lock and the temporary folders beside the output are the build's own; a link in their place was
    planted (a pull request, a synced folder): removed, never truncated, chmod-ed, emptied or restored as the site."""
    elsewhere = _elsewhere(tmp_path)
    (base_site / planted).symlink_to(elsewhere / "notes.txt" if planted.endswith("lock") else elsewhere)
    if planted == ".output.old-7":  # what a build killed mid-swap leaves: no output, the old site beside it
        shutil.rmtree(base_site / "output")
    result = run_build(base_site, "--no-search")
    assert result.returncode == 0, result.stderr
    assert _untouched(elsewhere)
    assert not (base_site / "output").is_symlink() and (base_site / "output" / "index.html").is_file()
    assert _leftovers(base_site) == []


def test_an_output_folder_that_is_a_link_is_refused(base_site: Path, tmp_path: Path) -> None:
    """Git carries links: a planted ``output`` link would have the build replace a folder elsewhere."""
    elsewhere = _elsewhere(tmp_path)
    shutil.rmtree(base_site / "output")
    (base_site / "output").symlink_to(elsewhere)
    result = run_build(base_site, "--no-search")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "output:1:1: error: output is a link to another folder, which the build would replace" in result.stderr
    assert _untouched(elsewhere)
    assert run_build(base_site, "--no-search", out=elsewhere.parent / "chosen").returncode == 0  # --out: as asked


def test_a_stop_that_lands_while_a_c_extension_loads_is_one_line(base_site: Path) -> None:
    """SIGTERM while pydantic-core loads datetime's C API made it panic: a Rust backtrace and a Python traceback,
    exit 1 (the random-moment test below met it once). The heavy imports run with stops held. Here the signal comes
    exactly then: the first import of datetime (pydantic-core's, through its C API) sends it."""
    before = snapshot(base_site / "output")
    code = f"""
import importlib.abc, os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
class SignalAtDatetime(importlib.abc.MetaPathFinder):
    fired = False
    def find_spec(self, name, path, target=None):
        if name == "datetime" and not self.fired:
            self.fired = True
            os.kill(os.getpid(), signal.SIGTERM)
        return None
sys.meta_path.insert(0, SignalAtDatetime())
sys.argv = ["build.py", "--site", ".", "--no-search"]
from casefile.commands.entry import run
sys.exit(run("python build.py"))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=base_site, capture_output=True, text=True, timeout=60)
    assert result.returncode == 143, result.stderr
    assert result.stderr == INTERRUPTED, result.stderr
    assert snapshot(base_site / "output") == before


def test_a_ctrl_c_that_python_ignored_still_stops_the_run() -> None:
    """Python runs the signal handler between any two bytecodes; inside a ``__del__`` or a weakref callback (the
    garbage collector's work) the exception it raises is printed and dropped. The run must still stop: the
    dev server's loop and the build's last step before the swap ask again."""
    code = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from casefile.interrupt import Interrupted, raise_if_stopped, stop_on_signals
stop_on_signals()
class Collected:
    def __del__(self):
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(10000))  # the handler runs here, inside __del__
Collected()
print("running on")
try:
    raise_if_stopped()
except Interrupted as stop:
    print("stopped by", stop)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "Exception ignored" in result.stderr and "Interrupted: SIGINT" in result.stderr, result.stderr
    assert result.stdout == "running on\nstopped by SIGINT\n"


# ------------------------------------------------------------------------------ full disk, read-only, no permission


@contextmanager
def _tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A small RAM disk at ``folder``; skips where mounting is not allowed (not root, no mount)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)


def _assert_write_refused(result: subprocess.CompletedProcess[str], out: Path, message: str, hint: str) -> None:
    assert result.returncode == 1, result.stderr
    assert f"{out}:1:1: error: {message}: the new site was not written" in result.stderr
    assert f"hint: {hint}" in result.stderr and "; the previous site is unchanged" in result.stderr
    assert "Traceback" not in result.stderr


def test_full_disk_is_a_located_error(base_site: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "size=16m") as disk:
        shutil.copytree(base_site / "output", disk / "output")
        before = snapshot(disk / "output")
        used = os.statvfs(disk).f_blocks - os.statvfs(disk).f_bfree
        _remount(disk, f"size={used * os.statvfs(disk).f_frsize * 3 // 2}")  # room for half a second copy
        result = run_build(base_site, out=disk / "output")
        _assert_write_refused(result, disk / "output", "the disk is full", "free some disk space")
        assert snapshot(disk / "output") == before
        assert _leftovers(disk) == []


def test_read_only_folder_is_a_located_error(base_site: Path, tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "disk", "size=16m") as disk:
        shutil.copytree(base_site / "output", disk / "output")
        before = snapshot(disk / "output")
        _remount(disk, "ro")
        result = run_build(base_site, out=disk / "output")
        _assert_write_refused(result, disk / "output", "the folder is read-only", "choose a folder you can write")
        assert snapshot(disk / "output") == before


def test_folder_without_write_permission_is_a_located_error(base_site: Path, tmp_path: Path) -> None:
    """``chattr +i`` stops even root (chmod would not); elsewhere a non-root user gets chmod."""
    parent = tmp_path / "locked"
    shutil.copytree(base_site / "output", parent / "output")
    before = snapshot(parent / "output")
    locked = subprocess.run(["chattr", "+i", str(parent)], capture_output=True) if shutil.which("chattr") else None
    if locked is None or locked.returncode:
        if os.geteuid() == 0:
            pytest.skip("running as root, and chattr +i is not available on this file system")
        parent.chmod(0o555)
    try:
        result = run_build(base_site, out=parent / "output")
    finally:
        subprocess.run(["chattr", "-i", str(parent)], capture_output=True) if locked else parent.chmod(0o755)
    _assert_write_refused(result, parent / "output", "no permission to write here", "choose a folder you can write")
    assert snapshot(parent / "output") == before


# ------------------------------------------------------------------------------ acceptance: kill a 2,000-dossier build


@dataclass(frozen=True)
class BigSite:
    path: Path
    writing: float  # seconds from starting a build until it starts writing the staging folder
    total: float  # seconds the whole build takes


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> BigSite:
    """A generated 2,000-dossier site, built once; then an edit, so a new build would change the site."""
    site = tmp_path_factory.mktemp("big") / "site"
    generate(site, 2000, narratives=False)
    start = time.monotonic()
    build = _start(site)
    writing = _wait_until(_staging(site), build)
    assert build.communicate(timeout=120) and build.returncode == 0
    total = time.monotonic() - start
    actor = site / "content" / "actors" / "actor-0.yaml"
    actor.write_text(actor.read_text().replace("Actor 0", "Actor Zero"))
    return BigSite(site, writing, total)


def _wait_for_phase(phase: str, big: BigSite, build: subprocess.Popen[str], rng: random.Random) -> None:
    if phase == "writing":  # the pages, the link check of the staged site and the swap
        _wait_until(_staging(big.path), build)
        time.sleep(rng.uniform(0, 0.35) * (big.total - big.writing))  # well before the end, even when the load eases
    else:
        low, high = {"starting and loading": (0.1, 0.4), "rendering": (0.5, 0.95)}[phase]
        time.sleep(rng.uniform(low, high) * big.writing)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_killed_build_keeps_the_previous_site_byte_for_byte(big_site: BigSite, signum: int) -> None:
    """Ctrl-C or SIGTERM at a random moment of each phase: one line, and the previous site as it was."""
    before = snapshot(big_site.path / "output")
    rng = random.Random(f"issue 10, {signum}")
    for phase in ("starting and loading", "rendering", "writing"):
        build = _start(big_site.path)
        _wait_for_phase(phase, big_site, build, rng)
        build.send_signal(signum)
        stderr = build.communicate(timeout=60)[1]
        assert build.returncode == 128 + signum, f"{phase}: {stderr}"
        assert stderr in (INTERRUPTED, "interrupted: nothing was written\n"), phase
        assert snapshot(big_site.path / "output") == before, phase
        assert sorted(p.name for p in big_site.path.iterdir()) == ["content", "output", "site.yaml"], phase
