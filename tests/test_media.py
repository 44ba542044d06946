"""Evidence files: published without what identifies their source, looking the same, and refused with a located
error when they cannot be published. The fixture files are made here, with the metadata a camera, a scanner
and a word processor leave."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import BASE, cache_of, load_html, make_site, run_build, snapshot
from PIL import Image, ImageChops, ImageDraw
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

SERIAL = "SN-0042-XYZ"
AUTHOR = "Jane Source"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jane Source</dc:creator></x:xmpmeta>'


def picture(width: int = 1200, height: int = 800) -> Image.Image:
    """Stripes and a corner mark: resizing keeps them recognisable, a rotation would move the mark."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 60):
        draw.rectangle([x, 0, x + 30, height], fill=(x % 256, 90, 160))
    draw.rectangle([0, 0, width // 5, height // 5], fill=(250, 200, 0))
    return image


def camera_jpeg(orientation: int = 1) -> bytes:
    """A JPEG with a GPS position, the camera's serial number and the photographer's name."""
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x013B] = AUTHOR
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (21.0, 58.0, 30.0), 3: "E", 4: (96.0, 5.0, 0.0)})
    exif.get_ifd(0x8769)[0xA431] = SERIAL
    out = io.BytesIO()
    picture().save(out, "JPEG", exif=exif, quality=95, xmp=XMP)
    return out.getvalue()


def phone_webp() -> bytes:
    """A WebP whose EXIF names its author."""
    exif = Image.Exif()
    exif[0x013B] = AUTHOR
    out = io.BytesIO()
    picture(700, 500).save(out, "WEBP", exif=exif, quality=90)
    return out.getvalue()


def scanner_png() -> bytes:
    info = PngInfo()
    info.add_text("Author", AUTHOR)
    info.add_text("Comment", "scanned at the depot")
    out = io.BytesIO()
    picture(900, 600).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def office_pdf(pages: int = 2) -> bytes:
    """A PDF whose document information names its author and the software, with XMP naming the author too."""
    made = io.BytesIO()
    picture(600, 800).save(made, "PDF", save_all=True, append_images=[picture(600, 800)] * (pages - 1))
    writer = PdfWriter(clone_from=PdfReader(made))
    writer.metadata = None
    writer.add_metadata({"/Author": AUTHOR, "/Producer": "SecretScanner 2.1", "/Creator": "Word"})
    stream = StreamObject()
    stream.set_data(XMP)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


DELIVERY = """\
media:
  - file: delivery.jpg
    id: delivery-photo
    caption: Crates unloaded at the port
    credit: Frontier Desk
    alt: Wooden crates stacked on a quay beside a grey ship
    date: 2021-06-14
    place: Yangon
    sources: [moscow-times-2021]
  - file: register.png
    caption: A page of the register
    credit: Leaked to the newsroom
    alt: A ledger page with handwritten entries
  - file: contract.pdf
    caption: The contract
    credit: Obtained by Frontier Desk
  - file: private-notes.pdf
    publish: false
"""


ROTATED = """\
media:
  - file: pier.jpg
    alt: The pier, photographed with the camera held upright
  - file: crowd.webp
    alt: A crowd on the quay
"""


def media_site(root: Path, extra: dict[str, str | bytes | None] | None = None) -> Path:
    """The base site whose deal shows a photo beside it, a scan and a PDF from content/media/, and embeds the photo."""
    files: dict[str, str | bytes | None] = dict(BASE)
    files["content/deals/pantsir-contract.yaml"] = BASE["content/deals/pantsir-contract.yaml"] + DELIVERY
    files["content/deals/pantsir-contract.md"] = "The crates arrived in June.\n\n![[delivery-photo]]\n"
    files["content/deals/delivery.jpg"] = camera_jpeg()
    files["content/media/register.png"] = scanner_png()
    files["content/media/contract.pdf"] = office_pdf()
    files["content/media/private-notes.pdf"] = office_pdf(1)
    files["content/events/naval-visit.yaml"] = BASE["content/events/naval-visit.yaml"] + ROTATED
    files["content/events/pier.jpg"] = camera_jpeg(orientation=6)
    files["content/media/crowd.webp"] = phone_webp()
    source = "content/sources/moscow-times-2021.yaml"
    files[source] = BASE[source] + "file: print.pdf\n"
    files["content/media/print.pdf"] = office_pdf(1)
    return make_site(root, files | (extra or {}))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    site = media_site(tmp_path_factory.mktemp("media") / "site")
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    return site, result.stderr


def published(site: Path, suffix: str) -> list[Path]:
    return sorted((site / "output" / "media").glob(f"*{suffix}"))


def test_published_photo_has_no_gps_serial_or_author_and_looks_the_same(built: tuple[Path, str]) -> None:
    site, _ = built
    original = Image.open(site / "content/deals/delivery.jpg")
    assert original.getexif().get_ifd(0x8825), "the fixture carries GPS"
    copies = published(site, ".jpg")
    photos = [p for p in copies if p.name.startswith("delivery-photo-")]
    assert sorted(Image.open(p).width for p in photos) == [480, 960, 1200]
    for path in photos:
        copy = Image.open(path)
        exif = copy.getexif()
        assert not exif and not exif.get_ifd(0x8825) and not exif.get_ifd(0x8769)
        assert "xmp" not in copy.info and "icc_profile" not in copy.info
        raw = path.read_bytes()
        assert SERIAL.encode() not in raw and AUTHOR.encode() not in raw and b"Canon" not in raw
    full = Image.open([p for p in photos if Image.open(p).width == 1200][0])
    assert full.size == original.size
    assert _difference(original, full) < 8


def test_published_scan_has_no_text_chunks_and_same_pixels(built: tuple[Path, str]) -> None:
    site, _ = built
    copy = Image.open(published(site, ".png")[-1])
    assert not getattr(copy, "text", {}), copy.text
    original = Image.open(site / "content/media/register.png")
    assert copy.size == original.size
    assert _difference(original, copy) == 0  # PNG stays lossless


def test_published_pdf_has_no_document_info_or_xmp_and_keeps_its_pages(built: tuple[Path, str]) -> None:
    site, _ = built
    (pdf,) = [p for p in published(site, ".pdf") if p.name.startswith("contract-")]
    reader = PdfReader(pdf)
    assert not reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 2
    raw = pdf.read_bytes()
    assert AUTHOR.encode() not in raw and b"SecretScanner" not in raw
    thumbnail = Image.open([p for p in published(site, ".jpg") if p.name.startswith("contract-")][0])
    assert thumbnail.width == 480 and thumbnail.height == 640


def test_build_lists_what_it_removed_and_warns_of_what_identified_the_source(built: tuple[Path, str]) -> None:
    _, stderr = built
    assert (
        "content/deals/delivery.jpg: published without EXIF (6 fields: GPS position, camera serial number, author name)"
        ", XMP" in stderr
    )
    assert "content/media/register.png: published without text (Author, Comment)" in stderr
    removed = "content/media/contract.pdf: published without document information (Author, Creator, Producer), XMP"
    assert removed in stderr
    warning = "pantsir-contract.yaml:{}:11: warning: '{}' carries {}: the published copy does not [media-metadata]"
    assert warning.format(29, "delivery.jpg", "GPS position, camera serial number, author name") in stderr
    assert warning.format(37, "register.png", "author name") in stderr
    assert warning.format(41, "contract.pdf", "author name") in stderr
    assert AUTHOR not in stderr and SERIAL not in stderr and "21.0" not in stderr  # never the values: CI logs are read


def test_unpublished_file_stays_out_and_gallery_shows_the_rest(built: tuple[Path, str]) -> None:
    site, _ = built
    assert not [p for p in (site / "output" / "media").iterdir() if p.name.startswith("private-notes")]
    for path, data in snapshot(site / "output").items():  # nor named in a page or a data export
        assert b"private-notes" not in data and b"delivery.jpg" not in data and b"print.pdf" not in data, path
    page = load_html(site / "output/deals/pantsir-contract.html")
    gallery = page.find("section", **{"class": "gallery"})
    assert gallery is not None
    figures = gallery.find_all("figure")
    assert [f.attrs["id"] for f in figures] == ["media-delivery-photo", "media-register", "media-contract"]
    for image in page.find_all("img"):
        assert image.attrs["alt"] and image.attrs["loading"] == "lazy"
        assert image.attrs["width"].isdigit() and image.attrs["height"].isdigit()
    photo = figures[0].find("img")
    assert photo.attrs["srcset"].count("w,") == 2 and photo.attrs["src"].endswith("-960.jpg")
    assert "Credit: Frontier Desk" in figures[0].text and "Yangon" in figures[0].text
    assert "PDF, 2 pages" in figures[2].text
    narrative = page.find("div", **{"class": "narrative"})
    shown = narrative.find("figure")  # ![[delivery-photo]]: the same photo, without the gallery's id
    assert shown.find("img").attrs["src"] == photo.attrs["src"] and "id" not in shown.attrs


def test_rebuild_reencodes_nothing_and_is_byte_identical(built: tuple[Path, str], tmp_path: Path) -> None:
    site, _ = built
    copy = Path(shutil.copytree(site, tmp_path / "site"))
    before = snapshot(copy / "output")
    assert not cache_of(copy).exists() and run_build(copy).returncode == 0  # the copy's cache is its own
    cached = sorted((cache_of(copy) / "media").iterdir())
    stamps = {p: p.stat().st_mtime_ns for folder in cached for p in folder.iterdir()}
    result = run_build(copy, "--no-cache")
    assert result.returncode == 0, result.stderr
    assert snapshot(copy / "output") == before
    assert {p: p.stat().st_mtime_ns for folder in cached for p in folder.iterdir()} == stamps
    (cached[0] / "facts.json").write_text("{not json", encoding="utf-8")  # a cache damaged by a crash or by hand
    next(p for p in cached[1].iterdir() if p.name != "facts.json").unlink()
    result = run_build(copy, "--no-cache")
    assert result.returncode == 0, result.stderr
    assert snapshot(copy / "output") == before  # the damaged entries made again
    shutil.rmtree(cache_of(copy))
    assert run_build(copy).returncode == 0
    assert snapshot(copy / "output") == before  # encoded again from scratch: the same bytes


def _difference(a: Image.Image, b: Image.Image) -> float:
    """The mean difference per channel, 0–255."""
    diff = ImageChops.difference(a.convert("RGB"), b.convert("RGB"))
    histogram = diff.histogram()
    total = sum(value * count for channel in range(3) for value, count in enumerate(histogram[channel * 256 :][:256]))
    return total / (a.width * a.height * 3)


def test_photo_taken_upright_is_published_upright(built: tuple[Path, str]) -> None:
    site, _ = built
    (full,) = [p for p in published(site, ".jpg") if p.name.startswith("pier-") and p.name.endswith("-800.jpg")]
    copy = Image.open(full).convert("RGB")
    assert copy.size == (800, 1200)  # orientation 6: the camera was turned, the pixels are now turned back
    assert copy.getpixel((780, 20)) == pytest.approx((250, 200, 0), abs=12)  # the corner mark, now top right
    assert "Orientation" not in str(copy.getexif())


def test_source_file_shows_as_document_on_file(built: tuple[Path, str]) -> None:
    site, _ = built
    page = load_html(site / "output/sources/moscow-times-2021.html")
    facts = page.find("dl", **{"class": "facts"})
    assert "Document on file" in facts.text and "PDF, 1 page" in facts.text
    (link,) = [href for href in facts.hrefs() if href.startswith("../media/")]
    assert (site / "output/sources" / link).resolve().is_file()
    assert not PdfReader(site / "output/sources" / link).metadata


WITNESS = """\
name: A witness
kind: person
sources: [moscow-times-2021]
media:
  - file: nowhere.jpg
    alt: Nothing
  - file: notes.docx
  - file: huge.png
    alt: Noise
  - file: no-alt.png
  - file: broken.jpg
    alt: A damaged photo
  - file: damaged.pdf
  - file: ../../site.yaml
  - file: locked.pdf
  - file: no-alt.png
    id: register
    alt: The same scan again
"""


def test_unpublishable_files_are_errors_at_their_line_and_the_site_stays(
    built: tuple[Path, str], tmp_path: Path
) -> None:
    site = Path(shutil.copytree(built[0], tmp_path / "site"))
    before = snapshot(site / "output")
    noise = Image.frombytes("RGB", (1000, 1000), bytes(range(256)) * 11718 + bytes(192))
    make_site(
        site,
        {
            "site.yaml": BASE["site.yaml"] + "max_media_size_mb: 1\n",
            "content/actors/witness.yaml": WITNESS,
            "content/actors/witness.md": "Seen: ![[delivery-phot]]\n\nand ![map](https://tiles.example.org/x.png)\n",
            "content/media/notes.docx": b"PK\x03\x04",
            "content/media/huge.png": _png(noise.resize((1000, 1000)), noise=True),
            "content/media/no-alt.png": scanner_png(),
            "content/media/broken.jpg": b"\xff\xd8\xff\xe0 not really a photo",
            "content/media/damaged.pdf": b"%PDF-1.4\n1 0 obj garbage",
            "content/media/locked.pdf": _locked_pdf(),
        },
    )
    result = run_build(site)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    at = "content/actors/witness.yaml"
    assert errors == [
        "content/actors/witness.md:1:7: error: no published media 'delivery-phot'",
        "content/actors/witness.md:3:12: error: the image 'https://tiles.example.org/x.png' is on another server, "
        "which would learn the address of every reader",
        f"{at}:5:11: error: the file 'nowhere.jpg' is not there",
        f"{at}:7:11: error: 'notes.docx' is not a format the site can publish",
        f"{at}:8:11: error: 'huge.png' is 3.0 MB, over the 1 MB cap",
        f"{at}:10:5: error: the image 'no-alt.png' has no alt text",
        f"{at}:11:11: error: 'broken.jpg' is not a readable image",
        f"{at}:13:11: error: 'damaged.pdf' is not a readable PDF",
        f"{at}:14:11: error: the file '../../site.yaml' is not there",
        f"{at}:15:11: error: 'locked.pdf' needs a password to open",
        f"{at}:17:9: error: the media id 'register' is already used in 'pantsir-contract'",
    ], result.stderr
    assert "hint: did you mean 'delivery-photo'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site / "output") == before  # nothing half-processed published
    assert not list(site.glob(".output.*"))


def _png(image: Image.Image, noise: bool = False) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0 if noise else 6)
    return out.getvalue()


def test_check_reports_a_page_whose_images_weigh_over_the_budget(built: tuple[Path, str], tmp_path: Path) -> None:
    site = Path(shutil.copytree(built[0], tmp_path / "site"))
    make_site(site, {"site.yaml": BASE["site.yaml"] + "image_budget_kb: 60\n"})
    result = run_build(site, "check")
    assert result.returncode == 0, result.stderr
    assert not (cache_of(site) / "media").exists()  # check writes nothing, not even the processed copies
    weight = re.search(
        r"pantsir-contract.yaml:28:1: warning: the images on 'pantsir-contract' weigh (\d+) KB", result.stderr
    )
    assert weight and int(weight.group(1)) > 60, result.stderr
    assert "over the budget of 60 KB [image-weight]" in result.stderr
    assert "'delivery.jpg' carries GPS position" in result.stderr  # check warns as the build does
    assert "the images on 'naval-visit'" not in result.stderr  # one photo, 49 KB: within the budget


def test_serve_shows_a_replaced_photo_at_once(tmp_path: Path) -> None:
    from casefile.dev.incremental import Session
    from casefile.settings import SitePaths

    home = "content/pages/index.md"
    site = media_site(tmp_path / "site", {home: BASE[home] + "\n![[delivery-photo]]\n"})  # shown on another page too
    session = Session(SitePaths(site, site / "output"))
    assert session.full_build()
    page = site / "output/deals/pantsir-contract.html"
    before = load_html(page).find("figure", id="media-delivery-photo").find("img").attrs["src"]
    photo = site / "content/deals/delivery.jpg"
    photo.write_bytes(_jpeg(picture(1000, 500)))
    session.rebuild({str(photo)})
    session.settle()
    after = load_html(page).find("figure", id="media-delivery-photo").find("img")
    assert after.attrs["src"] != before and (after.attrs["width"], after.attrs["height"]) == ("960", "480")
    assert Image.open(page.parent / after.attrs["src"]).size == (960, 480)
    embedded = load_html(site / "output/index.html").find("figure").find("img").attrs["src"]
    assert embedded == after.attrs["src"].removeprefix("../")  # the home page, which shows it too, is rebuilt


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_published_webp_keeps_its_format_and_loses_its_exif(built: tuple[Path, str]) -> None:
    site, _ = built
    (copy,) = published(site, "-700.webp")
    image = Image.open(copy)
    assert image.format == "WEBP" and image.size == (700, 500)
    assert not image.getexif() and AUTHOR.encode() not in copy.read_bytes()
    assert _difference(Image.open(site / "content/media/crowd.webp"), image) < 8


def _locked_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(office_pdf(1))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_each_edition_shows_a_photo_with_its_own_caption_and_the_same_files(tmp_path: Path) -> None:
    """A caption and an alt text written per language: each edition shows its own, with the files processed once
    for the site and shared; a translated narrative embeds the photo too."""
    deal = "content/deals/pantsir-contract.yaml"
    captioned = (
        (BASE[deal] + DELIVERY)
        .replace(
            "    caption: Crates unloaded at the port\n",
            "    caption:\n      en: Crates unloaded at the port\n      ru: Ящики на причале\n",
        )
        .replace(
            "    alt: Wooden crates stacked on a quay beside a grey ship\n",
            "    alt:\n      en: Wooden crates stacked on a quay beside a grey ship\n"
            "      ru: Деревянные ящики на причале\n",
        )
    )
    site = media_site(
        tmp_path / "site",
        {
            "site.yaml": BASE["site.yaml"] + "languages: [en, ru]\n",
            deal: captioned,
            "content/deals/pantsir-contract.ru.md": "Ящики прибыли в июне.\n\n![[delivery-photo]]\n",
        },
    )
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    pages = {
        lang: load_html(site / "output" / folder / "deals/pantsir-contract.html")
        for lang, folder in (("en", ""), ("ru", "ru"))
    }
    captions = {lang: [c.text for c in page.find_all("span", class_="caption")] for lang, page in pages.items()}
    assert "Crates unloaded at the port" in captions["en"] and "Ящики на причале" not in " ".join(captions["en"])
    assert "Ящики на причале" in captions["ru"] and "Crates unloaded at the port" not in " ".join(captions["ru"])
    images = {
        lang: [img for fig in page.find_all("figure") for img in fig.find_all("img")] for lang, page in pages.items()
    }
    alts = {lang: {img.attrs["alt"] for img in found} for lang, found in images.items()}
    assert (
        "Деревянные ящики на причале" in alts["ru"]
        and "Wooden crates stacked on a quay beside a grey ship" in alts["en"]
    )
    sources = {lang: {img.attrs["src"].rsplit("/", 1)[-1] for img in found} for lang, found in images.items()}
    assert sources["en"] == sources["ru"] and all((site / "output/media" / name).is_file() for name in sources["en"])
    assert not (site / "output/ru/media").exists()
