"""``casefile guide``: the guide for journalists, an investigation of pages that ships inside the package and
that Casefile builds like any other, into the user's cache folder unless ``--out`` names another."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from casefile.output.cache import cache_root
from casefile.settings import PROJECT_ROOT, SitePaths


def source() -> Path:
    """The guide's folder: ``casefile/guide`` in an installed Casefile, ``docs/guide`` in a checkout."""
    shipped = resources.files("casefile") / "guide"
    if shipped.is_dir():
        return Path(str(shipped))
    return PROJECT_ROOT / "docs" / "guide"


def guide_paths(out: Path | None) -> SitePaths:
    """Where the guide is read from and where it is built: ``out``, else ``guide/`` in the user's cache folder,
    never inside the installed package."""
    return SitePaths(source(), (out or cache_root() / "guide").resolve())
