"""What Pagefind takes to index a built site three ways: issue 28 asked whether feeding Pagefind records straight
from the model, rather than letting it read the pages, would bring a one-dossier rebuild under two seconds.

    .venv/bin/python benchmarks/search_records.py OUTPUT [--runs 3]

OUTPUT is a built site (``build --no-search`` will do). Each run, in turn:

- **pages read** — the command the build runs, ``pagefind --site OUTPUT``;
- **pages sent** — Pagefind's service (``pagefind --service``, what its Python API drives) sent every page's HTML;
- **records sent** — the service sent each page's indexed text as a record: the text of its
  ``data-pagefind-body`` without its ``data-pagefind-ignore`` parts, which is what the model would give.

The service is spoken to directly: the official Python wrapper (``pagefind`` 1.5.2) reads one answer every
0.1 s, ten records a second. Sending is timed apart from writing: Pagefind can update no index, so a rebuild
after any edit writes the whole index again, and that writing alone is the least any way of feeding it can cost.
The table gives medians over ``--runs``; the three indexes must count the same pages, or the script fails.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pagefind_bin import get_executable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casefile.output.search import pagefind_command  # noqa: E402


@dataclass(frozen=True)
class Page:
    url: str
    html: str
    language: str
    title: str
    text: str


class _IndexedText(HTMLParser):
    """The language, the title, and the text Pagefind indexes of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.language, self.title, self.parts = "en", "", []
        self._stack: list[tuple[bool, bool]] = []  # per open element: inside the body, inside an ignored part
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "html":
            self.language = names.get("lang") or self.language
        self._in_title = tag == "title" and not self.title  # the head's, not an SVG's in the body
        body, ignored = self._stack[-1] if self._stack else (False, False)
        if tag not in ("meta", "link", "img", "br", "hr", "input", "source", "wbr"):  # void elements never close
            self._stack.append((body or "data-pagefind-body" in names, ignored or "data-pagefind-ignore" in names))

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False
        if self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif self._stack and self._stack[-1] == (True, False):
            self.parts.append(data)


def pages(site: Path) -> list[Page]:
    """Every page of ``site`` that Pagefind indexes (those with a ``data-pagefind-body``)."""
    found = []
    for path in sorted(site.rglob("*.html")):
        html = path.read_text("utf-8")
        if "data-pagefind-body" not in html:
            continue
        parsed = _IndexedText()
        parsed.feed(html)
        text = " ".join(" ".join(parsed.parts).split())
        url = "/" + path.relative_to(site).as_posix()
        found.append(Page(url, html, parsed.language, " ".join(parsed.title.split()), text))
    return found


class Service:
    """``pagefind --service``: base64 JSON messages, each ended by a comma, answered in the same way."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(get_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.answers: list[dict[str, Any]] = []
        self.sent = 0
        self.stopped = False  # its output has ended
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        pending = b""
        assert self.process.stdout is not None
        while chunk := self.process.stdout.read1(1 << 20):
            *messages, pending = (pending + chunk).split(b",")
            with self.arrived:
                self.answers.extend(json.loads(base64.b64decode(message))["payload"] for message in messages)
                self.arrived.notify()
        with self.arrived:
            self.stopped = True
            self.arrived.notify()

    def send(self, payload: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload})
        self.process.stdin.write(base64.b64encode(message.encode()) + b",")

    def wait(self) -> list[dict[str, Any]]:
        """Every answer to what was sent; fails on any error."""
        assert self.process.stdin is not None
        self.process.stdin.flush()
        with self.arrived:  # woken by the reader, not by polling beside the Pagefind being timed
            self.arrived.wait_for(lambda: self.stopped or len(self.answers) >= self.sent)
        if len(self.answers) < self.sent:
            raise SystemExit(f"pagefind --service stopped ({self.process.wait()})")
        if errors := [answer for answer in self.answers if answer.get("type") == "Error"]:
            raise SystemExit(f"pagefind --service: {errors[0]}")
        return self.answers

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


@dataclass(frozen=True)
class Timing:
    sending: float | None  # None: the command line, which reads and writes in one go
    writing: float
    pages: int


def read_by_pagefind(site: Path, index: Path) -> Timing:
    """The command the build runs (:func:`casefile.output.search.pagefind_command`)."""
    command = pagefind_command(site, index)
    assert command is not None, "Pagefind is not installed: run the README's setup command"
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return Timing(None, time.perf_counter() - started, _counted(index))


def sent_to_pagefind(found: list[Page], index: Path, records: bool) -> Timing:
    service = Service()
    started = time.perf_counter()
    service.send({"type": "NewIndex", "config": {"keep_index_url": True}})
    index_id = service.wait()[0]["index_id"]
    for page in found:
        if records:
            fields = {"content": page.text, "language": page.language, "meta": {"title": page.title}}
            service.send({"type": "AddRecord", "index_id": index_id, "url": page.url, **fields})
        else:
            service.send({"type": "AddFile", "index_id": index_id, "url": page.url, "file_contents": page.html})
    service.wait()
    sent = time.perf_counter()
    service.send({"type": "WriteFiles", "index_id": index_id, "output_path": str(index)})
    service.wait()
    written = time.perf_counter()
    service.close()
    return Timing(sent - started, written - sent, _counted(index))


def _counted(index: Path) -> int:
    """The pages an index holds, from its entry file."""
    entry = json.loads((index / "pagefind-entry.json").read_text("utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


WAYS = ("pages read", "pages sent", "records sent")


def measure(site: Path, runs: int) -> dict[str, list[Timing]]:
    found = pages(site)
    timings: dict[str, list[Timing]] = {way: [] for way in WAYS}
    with tempfile.TemporaryDirectory(prefix="casefile-search-records-") as work:
        for run in range(runs):  # interleaved, so that a slow moment of the machine falls on every way alike
            for number, way in enumerate(WAYS):
                index = Path(work) / f"{run}-{number}"
                if way == "pages read":
                    timings[way].append(read_by_pagefind(site, index))
                else:
                    timings[way].append(sent_to_pagefind(found, index, records=way == "records sent"))
        # kept to the end, not deleted between runs: see run.py's aside()
    counts = {timing.pages for way in WAYS for timing in timings[way]}
    if counts != {len(found)}:
        raise SystemExit(f"the indexes count different pages: {sorted(counts)} (pages with a body: {len(found)})")
    return timings


def table(timings: dict[str, list[Timing]]) -> str:
    """Medians; the command line's sending and writing are one, so only its whole time is shown."""
    median = statistics.median
    lines = ["| way | pages | sending | writing the index | in all |", "|---|---:|---:|---:|---:|"]
    for way, runs in timings.items():
        total = f"{median(run.writing + (run.sending or 0.0) for run in runs):.2f} s"
        sending, writing = "—", "—"
        if runs[0].sending is not None:
            sending = f"{median(run.sending or 0.0 for run in runs):.2f} s"
            writing = f"{median(run.writing for run in runs):.2f} s"
        lines.append(f"| {way} | {runs[0].pages:,} | {sending} | {writing} | {total} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, help="a built site")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(table(measure(args.output, args.runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
