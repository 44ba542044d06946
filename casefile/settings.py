"""Where an investigation is and how a run goes: standard library only, so that a rebuild with
nothing to do (:mod:`casefile.output.cache`) starts without the heavy imports."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_folder(name: str) -> Path:
    """The default ``templates`` or ``static`` folder a site falls back to, file by file.

    An installed Casefile ships them inside the package; a checkout keeps them at the repository's top level,
    where the example investigation uses them.
    """
    shipped = resources.files("casefile") / name
    if shipped.is_dir():
        return Path(str(shipped))
    return PROJECT_ROOT / name


@dataclass(frozen=True)
class SitePaths:
    """Where an investigation lives and where its site goes."""

    site: Path
    out: Path

    @property
    def templates(self) -> list[Path]:
        """Where templates are looked up, first match wins: the site's own, then Casefile's defaults."""
        return [self.site / "templates", default_folder("templates")]

    @property
    def static(self) -> list[Path]:
        """Static files by the same rule: the site's own override the defaults of the same name."""
        return [self.site / "static", default_folder("static")]

    @property
    def inputs(self) -> list[Path]:
        """Everything a build reads: content, site.yaml, and the site's and Casefile's templates and static files."""
        return [self.site / "content", self.site / "site.yaml", *self.templates, *self.static]


@dataclass(frozen=True)
class Options:
    """How a run goes, as the command line says."""

    strict: bool = False
    base_url: str | None = None  # overrides site.yaml's; already checked and ending in /
    check_external: bool = False
    drafts: bool = False  # keep the dossiers marked draft: true
    jobs: int = 1  # processes rendering pages; 1 renders here, in this process
    search: bool = True  # build the search index (Pagefind)
    quotes: bool = False  # check every quotation against the stored texts of the reports it cites
