"""A cache can only be data: whatever is planted where Casefile keeps (or used to keep) what it remembers, a build
never runs it, never publishes it, and never prints a traceback; it builds from scratch instead.

The attacker here is a pull request or a shared folder that adds files to the investigation, and anyone who can
write into the cache folder: the published site must be the one a clean build makes."""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BASE, BUILD, cache_of, make_site, run_build, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from test_media import camera_jpeg, office_pdf

LEGACY = ".casefile-cache"
PHOTO = """\
media:
  - file: delivery.jpg
    alt: Wooden crates stacked on a quay beside a grey ship
"""
OUTSIDE = "outside-secret.txt"


class RunsACommand:
    """What a hostile pickle holds: unpickling it runs ``touch MARKER``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))


def hostile_pickle(marker: Path) -> bytes:
    """Shaped like the cache Casefile 0.1 wrote: a blake2b checksum of the payload, then the pickle."""
    payload = pickle.dumps({"key": RunsACommand(marker)})
    return hashlib.blake2b(payload, digest_size=32).digest() + payload


def photo_site(root: Path) -> Path:
    files = dict(BASE)
    files["content/deals/pantsir-contract.yaml"] = BASE["content/deals/pantsir-contract.yaml"] + PHOTO
    files["content/deals/delivery.jpg"] = camera_jpeg()
    files["content/sources/moscow-times-2021.yaml"] = BASE["content/sources/moscow-times-2021.yaml"] + "file: a.pdf\n"
    files["content/media/a.pdf"] = office_pdf(1)
    return make_site(root, files)


def clean_build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_build(site, *args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What a clean build of the photo site publishes."""
    site = photo_site(tmp_path_factory.mktemp("reference") / "site")
    clean_build(site, "--no-search")
    return snapshot(site / "output")


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """The photo site, built once, so that its cache holds a state and processed media to plant over."""
    site = photo_site(tmp_path / "site")
    clean_build(site, "--no-search")
    return site


def media_entries(site: Path) -> list[Path]:
    """Every folder of processed copies the cache holds, wherever this or an earlier Casefile keeps them."""
    roots = [cache_of(site) / "media", site / LEGACY / "media"]
    found = [folder for root in roots if root.is_dir() for folder in sorted(root.iterdir()) if folder.is_dir()]
    return list(dict.fromkeys(found))


def plant_legacy_copy(site: Path) -> None:
    """The cache as Casefile 0.1 kept it, inside the investigation, where a pull request can add it."""
    if not (site / LEGACY / "media").exists():
        shutil.copytree(cache_of(site) / "media", site / LEGACY / "media")


def test_a_planted_pickle_never_runs_and_the_build_starts_over(site: Path, tmp_path: Path, reference: dict) -> None:
    marker = tmp_path / "ran"
    (site / LEGACY).mkdir(exist_ok=True)
    (site / LEGACY / "state.pickle").write_bytes(hostile_pickle(marker))
    (cache_of(site) / "state.json").write_bytes(hostile_pickle(marker))
    for verb in (("check",), ("--no-search",)):
        result = clean_build(site, *verb)
        assert not marker.exists(), f"{verb}: the planted pickle ran"
    assert "was not readable and is rebuilt" in result.stderr  # the state in the cache folder, discarded
    assert f"{LEGACY}/ in the investigation folder is no longer read" in result.stderr
    assert snapshot(site / "output") == reference
    assert json.loads((cache_of(site) / "state.json").read_text(encoding="utf-8"))["out"]  # written anew, as data


def test_a_state_another_casefile_wrote_is_set_aside_without_calling_it_unreadable(site: Path, reference: dict) -> None:
    """After an upgrade the state is in an older layout (issue 28 added "pages") under another key: nothing is
    wrong with it, so the build says nothing of it; the same state under this build's own key is damaged."""
    state = cache_of(site) / "state.json"
    current = json.loads(state.read_bytes())
    older = {field: value for field, value in current.items() if field != "pages"}
    older["key"] = [current["key"][0] - 1, "0" * 32, *current["key"][2:]]
    state.write_text(json.dumps(older), encoding="utf-8")
    (site / "output" / "index.html").unlink()
    result = clean_build(site, "--no-search")
    assert "cache" not in result.stderr
    assert snapshot(site / "output") == reference
    assert json.loads(state.read_bytes())["key"] == current["key"]  # written anew by this version

    state.write_text(json.dumps(older | {"key": current["key"]}), encoding="utf-8")
    (site / "output" / "index.html").unlink()
    result = clean_build(site, "--no-search")
    assert f"the build cache in {cache_of(site)} was not readable and is rebuilt" in result.stderr
    assert snapshot(site / "output") == reference


def build_with(site: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(BUILD), "--site", ".", "--no-search"]
    return subprocess.run(command, cwd=site, env=env, capture_output=True, text=True, timeout=120)


def test_the_cache_is_kept_in_the_users_cache_folder_never_in_the_investigation(tmp_path: Path) -> None:
    """Outside the investigation, nothing git, a pull request or a synced folder carries can be read as cache."""
    site = make_site(tmp_path / "site", BASE)
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("CASEFILE_CACHE_DIR", "XDG_CACHE_HOME")}
    result = build_with(site, env | {"HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in site.iterdir()) == ["content", "output", "site.yaml"]
    (folder,) = (home / ".cache" / "casefile" / "sites").iterdir()
    assert folder.name.startswith("site-") and (folder / "state.json").is_file()
    assert folder.stat().st_mode & 0o077 == 0  # private to the user


def test_a_cache_folder_inside_the_investigation_is_not_used(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", BASE)
    result = build_with(site, os.environ | {"CASEFILE_CACHE_DIR": str(site / "cache")})
    assert result.returncode == 0, result.stderr
    assert "is inside the investigation, where it could be planted: not used" in result.stderr
    assert not (site / "cache").exists()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a folder to another user needs root"
)
def test_a_cache_folder_another_user_owns_is_not_used(site: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (cache_of(site) / "state.json").write_bytes(hostile_pickle(marker))
    os.chown(cache_of(site), 65534, 65534)
    result = clean_build(site, "--no-search")
    assert "belongs to another user: not used" in result.stderr
    assert not marker.exists()


def exif_jpeg(like: Path) -> bytes:
    """A picture the size of ``like`` that carries a GPS position and an author: what a planted copy would be."""
    exif = Image.Exif()
    exif[0x013B] = "Jane Source"
    exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 58.0, 30.0), 3: "E", 4: (96.0, 5.0, 0.0)})
    with Image.open(like) as image:
        out = io.BytesIO()
        Image.new("RGB", image.size, "red").save(out, "JPEG", exif=exif)
    return out.getvalue()


def _replace_pictures(folder: Path) -> None:
    """Every processed picture in ``folder`` swapped for one with EXIF, its facts made to vouch for it (size
    and hash), in whichever layout the facts are."""
    facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
    for index, entry in enumerate(facts["images"]):
        named = isinstance(entry[0], str)  # Casefile 0.1: [name, width, height, bytes]
        name = entry[0] if named else f"{entry[0]}.{facts['suffix']}"
        if not (folder / name).is_file():
            name = "page1.jpg"
        data = exif_jpeg(folder / name)
        (folder / name).write_bytes(data)
        if named:
            facts["images"][index][3] = len(data)
        else:
            facts["images"][index][2:] = [len(data), hashlib.blake2b(data, digest_size=16).hexdigest()]
    (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")


def test_a_planted_processed_image_with_exif_is_never_published(site: Path, reference: dict) -> None:
    plant_legacy_copy(site)
    for folder in media_entries(site):
        _replace_pictures(folder)
    result = clean_build(site, "--no-search", "--no-cache")
    published = sorted((site / "output" / "media").glob("*.jpg"))
    assert published
    for path in published:
        with Image.open(path) as image:
            assert not image.getexif(), f"{path.name} was published with EXIF"
    assert snapshot(site / "output") == reference
    assert "in the cache were not as made: made again" in result.stderr


def test_a_planted_processed_pdf_with_a_script_is_never_published(site: Path, reference: dict) -> None:
    from test_hostile_evidence import active_content, active_pdf

    plant_legacy_copy(site)
    for folder in media_entries(site):
        if (folder / "document.pdf").is_file():
            data = active_pdf("open-action")
            (folder / "document.pdf").write_bytes(data)
            facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
            if isinstance(facts["document"][0], str):  # Casefile 0.1: [name, bytes]
                facts["document"][1] = len(data)
            else:
                facts["document"] = [len(data), hashlib.blake2b(data, digest_size=16).hexdigest()]
            (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    clean_build(site, "--no-search", "--no-cache")
    (published,) = (site / "output" / "media").glob("*.pdf")
    assert not active_content(published.read_bytes())
    assert snapshot(site / "output") == reference


def test_a_crafted_name_in_the_media_cache_reads_and_writes_nothing_outside(site: Path, tmp_path: Path) -> None:
    """Names in the cache are never used: a name that climbs out of the cache folder copies no file from outside
    the site, to no place outside the output folder."""
    secret = tmp_path / OUTSIDE
    secret.write_text("private notes\n", encoding="utf-8")
    plant_legacy_copy(site)
    climb = "../" * 12 + str(secret).lstrip("/")
    for folder in media_entries(site):
        facts = {"images": [[climb, 480, 320, 14]], "document": None, "pages": 0, "removed": [], "sensitive": []}
        (folder / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    clean_build(site, "--no-search", "--no-cache")
    assert b"private notes" not in b"".join(snapshot(site / "output").values())
    assert list(tmp_path.rglob(OUTSIDE)) == [secret] and not list(site.rglob("*..*"))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries(
    {"key": JSON, "inputs": JSON, "out": JSON, "outputs": JSON, "warnings": JSON, "pages": JSON}
) | st.fixed_dictionaries(
    {"suffix": st.sampled_from(["jpg", "png", "../x", ""]), "images": JSON, "document": JSON, "pages": JSON}
)
PLANTED = (
    st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()) | FIELDS.map(lambda v: json.dumps(v).encode())
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(state=PLANTED, facts=PLANTED, copy=st.binary(max_size=2000))
def test_whatever_bytes_are_in_the_cache_check_and_build_ignore_them_or_start_over(
    site: Path, reference: dict, state: bytes, facts: bytes, copy: bytes
) -> None:
    (cache_of(site) / "state.json").write_bytes(state)
    for folder in media_entries(site):
        (folder / "facts.json").write_bytes(facts)
        min(p for p in folder.iterdir() if p.name != "facts.json").write_bytes(copy)  # a processed copy
    clean_build(site, "check")
    clean_build(site, "--no-search")
    assert snapshot(site / "output") == reference


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pages=PLANTED | st.just(b'{"pages": {}, "marks": {"feed": null, "dossiers": {}}}'))
def test_a_pages_json_the_state_does_not_vouch_for_means_a_full_build(site: Path, tmp_path: Path, pages: bytes) -> None:
    """What each page showed decides which pages a partial build keeps: a pages.json that Casefile did not write
    with the state is never read, and the build after an edit is a cold build's all the same."""
    (cache_of(site) / "pages.json").write_bytes(pages)
    edit = hashlib.blake2b(pages, digest_size=4).hexdigest()  # a new narrative each time: a partial build's edit
    (site / "content/actors/russia.md").write_text(f"Edited ({edit}).\n", encoding="utf-8")
    clean_build(site, "--no-search")
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    clean_build(site, "--no-cache", "--no-search", "--out", str(cold))
    assert snapshot(site / "output") == snapshot(cold)


def test_a_pages_json_changed_behind_the_states_back_is_never_read(site: Path, tmp_path: Path) -> None:
    """A pages.json saying no page showed anything would keep every page that names Russia after its renaming;
    it is not the one state.json vouches for, so it is never read and the build is right."""
    pages = cache_of(site) / "pages.json"
    data = json.loads(pages.read_bytes())
    data["pages"] = {path: [[], []] for path in data["pages"]}
    pages.write_text(json.dumps(data), encoding="utf-8")
    russia = site / "content/actors/russia.yaml"
    russia.write_text(russia.read_text(encoding="utf-8").replace("name: Russia", "name: Russian Federation"))
    result = clean_build(site, "--no-search")
    assert "was not readable and is rebuilt" in result.stderr
    cold = tmp_path / "cold"
    clean_build(site, "--no-cache", "--no-search", "--out", str(cold))
    assert snapshot(site / "output") == snapshot(cold)
