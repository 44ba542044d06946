"""Where an investigation is and how a run goes: standard library only, so that a rebuild with
nothing to do (:mod:`casefile.cache`) starts without the heavy imports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SitePaths:
    """Where an investigation lives and where its site goes."""

    site: Path
    out: Path

    @property
    def templates(self) -> list[Path]:
        return [self.site / "templates"]

    @property
    def static(self) -> list[Path]:
        return [self.site / "static", PROJECT_ROOT / "static"]

    @property
    def inputs(self) -> list[Path]:
        """Everything a build reads: content, site.yaml, and the site's and Casefile's templates and static files."""
        site = self.site
        return [site / "content", site / "site.yaml", *self.templates, PROJECT_ROOT / "templates", *self.static]


@dataclass(frozen=True)
class Options:
    """How a run goes, as the command line says."""

    strict: bool = False
    base_url: str | None = None  # overrides site.yaml's; already checked and ending in /
    check_external: bool = False
