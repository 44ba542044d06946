"""The same investigation as plain markdown for Hugo and MkDocs, so ``run.py --peers`` compares like with like.

Every dossier of a generated investigation becomes one page with front matter: each narrative keeps its
~400 words, its three ``[[links]]`` become ordinary markdown links to the other pages and its two
``[@citations]`` become footnotes holding the source's URL; each source becomes a short page with its
title and URL.  The templates are the least each tool needs to write a page.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

LINK = re.compile(r"\[\[([a-z]+)-(\d+)\]\]")
CITATION = re.compile(r"\[@(source-\d+)\]")
HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Benchmark investigation"
disableKinds = ["taxonomy", "term"]
"""
HUGO_PAGE = """\
<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>
"""
HUGO_LIST = """\
<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></main></body></html>
"""
MKDOCS_CONFIG = """\
site_name: Benchmark investigation
site_url: https://example.org/
theme:
  name: null
  custom_dir: theme
plugins: []
markdown_extensions: [footnotes]
"""
MKDOCS_PAGE = """\
<!DOCTYPE html><html><head><title>{{ page.title }}</title></head>
<body><main>{{ page.content }}</main></body></html>
"""


@dataclass(frozen=True)
class Page:
    """One page of the plain corpus: where it goes, its title and its markdown body."""

    folder: str
    slug: str
    title: str
    body: str


def corpus(site: Path) -> list[Page]:
    """Every dossier of the generated investigation in ``site`` as a plain markdown page."""
    content = site / "content"
    urls = {path.stem: yaml.safe_load(path.read_text()) for path in sorted((content / "sources").glob("*.yaml"))}
    pages = [
        Page("sources", slug, data["title"], f"{data['publisher']}, <{data['url']}>\n") for slug, data in urls.items()
    ]
    for folder in ("actors", "deals", "events"):
        for path in sorted((content / folder).glob("*.md")):
            title = path.stem.replace("-", " ").capitalize()
            pages.append(Page(folder, path.stem, title, _plain(path.read_text(), urls)))
    return pages


def _plain(narrative: str, sources: dict[str, dict]) -> str:
    """``narrative`` with links as ``{LINK:folder/slug}`` (each tool spells them) and citations as footnotes."""
    cited: list[str] = []

    def footnote(match: re.Match) -> str:
        cited.append(match.group(1))
        return f"[^{len(cited)}]"

    text = LINK.sub(lambda m: f"[{m[1]} {m[2]}]({{LINK:{m[1]}s/{m[1]}-{m[2]}}})", CITATION.sub(footnote, narrative))
    notes = [f"[^{n}]: {sources[s]['title']}, <{sources[s]['url']}>" for n, s in enumerate(cited, 1)]
    return text + "\n" + "\n".join(notes) + "\n"


def write_hugo(pages: list[Page], root: Path) -> None:
    """A Hugo site of ``pages`` in ``root`` (replaced)."""
    _fresh(root)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_PAGE)
    (layouts / "list.html").write_text(HUGO_LIST)
    for page in pages:
        body = re.sub(r"\{LINK:([^}]+)\}", r"/\1/", page.body)
        _write(root / "content" / page.folder / f"{page.slug}.md", f'---\ntitle: "{page.title}"\n---\n\n{body}')


def write_mkdocs(pages: list[Page], root: Path) -> None:
    """An MkDocs project of ``pages`` in ``root`` (replaced)."""
    _fresh(root)
    (root / "mkdocs.yml").write_text(MKDOCS_CONFIG)
    _write(root / "theme" / "main.html", MKDOCS_PAGE)
    _write(root / "docs" / "index.md", "# Benchmark investigation\n")
    for page in pages:
        body = re.sub(r"\{LINK:([^}]+)\}", r"../\1.md", page.body)
        _write(root / "docs" / page.folder / f"{page.slug}.md", f"---\ntitle: {page.title}\n---\n\n{body}")


def _fresh(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
