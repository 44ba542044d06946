"""Rendering on several cores changes nothing a journalist sees: the same bytes, the same errors at
the same places, and no traceback from a worker process.  Start-up stays quick: ``--help`` and
``new`` load none of the heavy libraries the build uses."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import BASE, BUILD, ROOT, make_site, run_build, snapshot

HEAVY = ("networkx", "scipy", "numpy", "babel", "markdown_it", "mdit_py_plugins", "jinja2")


def test_two_workers_build_the_same_bytes_as_one(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", BASE)
    one, two = (run_build(site, "--jobs", str(jobs), out=tmp_path / f"out-{jobs}") for jobs in (1, 2))
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    built = snapshot(tmp_path / "out-1")
    assert len([p for p in built if p.endswith(".html")]) > 8  # enough pages for both workers to get some
    assert snapshot(tmp_path / "out-2") == built


def test_a_template_error_in_a_worker_is_reported_at_its_line(base_site: Path) -> None:
    before = snapshot(base_site / "output")
    make_site(base_site, {"templates/actor.html": "<!doctype html>\n<title>x</title>\n<p>{{ no_such_thing }}</p>\n"})
    result = run_build(base_site, "--jobs", "2")
    assert result.returncode == 1
    assert "templates/actor.html:3:1: error: template error: 'no_such_thing' is undefined\n" in result.stderr
    assert "Traceback" not in result.stderr and "Process" not in result.stderr, result.stderr
    assert snapshot(base_site / "output") == before


def test_a_broken_link_is_reported_at_its_page_line_and_column(base_site: Path) -> None:
    page = base_site / "output" / "actors" / "min-aung-hlaing.html"
    line = page.read_text(encoding="utf-8").splitlines().index('<main id="main">') + 2
    default = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    broken = default.replace('<main id="main">\n', '<main id="main">\n<p><a href="gone.html#top">x</a></p>\n', 1)
    make_site(base_site, {"templates/base.html": broken})
    one, two = (run_build(base_site, "--jobs", str(jobs)) for jobs in (1, 2))
    expected = (
        f"output/actors/min-aung-hlaing.html:{line}:7: error: the link 'gone.html#top' leads nowhere: "
        "the site has no actors/gone.html\n"
    )
    assert expected in two.stderr, two.stderr
    assert two.returncode == 1 and two.stderr == one.stderr


def imported(*args: str, cwd: Path) -> set[str]:
    """The top-level packages ``build.py ARGS`` imports, from ``-X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(BUILD), *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    return {m.group(1).split(".")[0] for m in re.finditer(r"^import time:.*\|\s*(\S+)$", result.stderr, re.M)}


def test_a_stop_that_reaches_a_worker_as_it_starts_prints_no_traceback(tmp_path: Path) -> None:
    """Ctrl-C or SIGTERM while serve's workers start (the pool ends them, or the terminal signals them all):
    a worker that got it before setting its own handlers ran the parent's and printed a traceback. Here the first
    worker gets SIGTERM the moment it is forked; the pool makes another, and the work is done all the same."""
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from casefile.interrupt import stop_on_signals
from casefile.workers import forked_map
flag = {str(tmp_path / "killed")!r}
def first_child_gets_sigterm():
    if not os.path.exists(flag):
        open(flag, "w").close()
        os.kill(os.getpid(), signal.SIGTERM)
os.register_at_fork(after_in_child=first_child_gets_sigterm)
stop_on_signals()
print(sum(sum(tasks) for tasks in forked_map(list, 100, 2, 10)))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (tmp_path / "killed").exists(), "no worker was signalled"
    assert result.returncode == 0 and result.stdout == "4950\n", result.stderr
    assert "Traceback" not in result.stderr and "Interrupted" not in result.stderr, result.stderr


def test_help_and_new_load_no_heavy_library(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", BASE)
    for args in (("--help",), ("new", "actor", "new-person", "--site", ".")):
        modules = imported(*args, cwd=site)
        assert "casefile" in modules, args
        assert not modules & set(HEAVY), (args, sorted(modules & set(HEAVY)))
    assert (site / "content" / "actors" / "new-person.yaml").is_file()


def test_work_done_meanwhile_runs_beside_the_workers_and_a_failure_in_it_ends_them() -> None:
    """The build makes its exports while the workers render: the pages come back all the same, and when the
    exports fail (a full disk) the workers are ended with the build, not left rendering."""
    script = f"""
import multiprocessing, sys, time
sys.path.insert(0, {str(ROOT)!r})
from casefile.workers import forked_map
done = []
print(sum(sum(tasks) for tasks in forked_map(list, 100, 2, 10, lambda: done.append(1))), done)
def slow(tasks):
    time.sleep(30)
    return list(tasks)
def full_disk():
    raise OSError(28, "No space left on device")
try:
    list(forked_map(slow, 100, 2, 10, full_disk))
except OSError as error:
    print(error.strerror, len(multiprocessing.active_children()))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=25)
    assert result.stdout == "4950 [1]\nNo space left on device 0\n", result.stderr
