"""``site.yaml``: the investigation's name and where it is published."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import ContentError, Location
from .model import Strict, Url
from .validation import validate
from .yamlio import load_yaml


class SiteConfig(Strict):
    title: str
    description: str | None = None
    language: str = "en"
    base_url: Url | None = None


def load_config(site_dir: Path) -> tuple[SiteConfig | None, list[ContentError]]:
    path = site_dir / "site.yaml"
    if not path.is_file():
        return None, [
            ContentError(
                Location(path),
                "site.yaml is missing",
                "create site.yaml with at least `title: …` at the top of the investigation folder",
            )
        ]
    try:
        doc = load_yaml(path)
    except ContentError as problem:
        return None, [problem]
    return validate(SiteConfig, doc)
