"""A generated investigation as plain markdown in the layout of Hugo, MkDocs, Pelican and Eleventy, so that
``run.py --peers`` compares like with like.

Every dossier with a narrative becomes one page with its title in front matter: the narrative keeps its
~400 words, its three ``[[links]]`` become ordinary markdown links to the other pages, each spelt as the
tool wants, and its two ``[@citations]`` become footnotes holding the source's title and URL.  Each source
becomes a short page with its publisher and URL.  On the plain corpus (``generate.py --shape plain``) these
are the pages Casefile makes of the same dossiers.  The templates are the least each tool needs to write a
page: a title and the content, and a list of pages where the tool has a home page anyway.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

LINK = re.compile(r"\[\[([a-z]+)-(\d+)\]\]")
CITATION = re.compile(r"\[@(source-\d+)\]")
PLACEHOLDER = re.compile(r"\{LINK:([^}]+)\}")  # a link in a Page's body, ``{LINK:folder/slug}``


@dataclass(frozen=True)
class Page:
    """One page of the plain corpus: where it goes, its title and its markdown body."""

    folder: str
    slug: str
    title: str
    body: str


@dataclass(frozen=True)
class Layout:
    """How one tool wants a site: its own files, where a page's markdown goes, its front matter, and how a link
    to ``folder/slug`` is spelt (a ``re.sub`` replacement of ``PLACEHOLDER``)."""

    files: dict[str, str]
    page: str  # formatted with the page's folder and slug
    front_matter: str  # formatted with the page's title
    link: str


HUGO = Layout(
    files={
        "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "Benchmark investigation"\n'
        'disableKinds = ["taxonomy", "term"]\n',
        "layouts/_default/single.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>\n"
        "<body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n",
        "layouts/_default/list.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>\n"
        "<body><main><h1>{{ .Title }}</h1><ul>\n"
        '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}\n'
        "</ul></main></body></html>\n",
    },
    page="content/{folder}/{slug}.md",
    front_matter='---\ntitle: "{title}"\n---\n\n',
    link=r"/\1/",
)
MKDOCS = Layout(
    files={
        "mkdocs.yml": "site_name: Benchmark investigation\nsite_url: https://example.org/\n"
        "theme:\n  name: null\n  custom_dir: theme\nplugins: []\nmarkdown_extensions: [footnotes]\n",
        "theme/main.html": "<!DOCTYPE html><html><head><title>{{ page.title }}</title></head>\n"
        "<body><main>{{ page.content }}</main></body></html>\n",
        "docs/index.md": "# Benchmark investigation\n",
    },
    page="docs/{folder}/{slug}.md",
    front_matter="---\ntitle: {title}\n---\n\n",
    link=r"../\1.md",
)
# Every file a page, saved as folder/slug.html (the folder from the path, the slug from the file name); no
# articles, so no feeds, tags, categories or archives. The default Markdown settings hold footnotes.
PELICAN = Layout(
    files={
        "pelicanconf.py": 'SITENAME = "Benchmark investigation"\nSITEURL = ""\nPATH = "content"\nTHEME = "theme"\n'
        'ARTICLE_PATHS = []\nPAGE_PATHS = [""]\nSLUGIFY_SOURCE = "basename"\n'
        'PATH_METADATA = r"(?P<folder>[^/]+)/.*"\nPAGE_URL = PAGE_SAVE_AS = "{folder}/{slug}.html"\n'
        'DIRECT_TEMPLATES = ["index"]\nFEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None\n'
        "AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None\n",
        "theme/templates/page.html": "<!DOCTYPE html><html><head><title>{{ page.title }}</title></head>\n"
        "<body><main><h1>{{ page.title }}</h1>{{ page.content }}</main></body></html>\n",
        "theme/templates/index.html": "<!DOCTYPE html><html><head><title>{{ SITENAME }}</title></head>\n"
        "<body><main><h1>{{ SITENAME }}</h1><ul>\n"
        '{% for page in pages %}<li><a href="{{ page.url }}">{{ page.title }}</a></li>{% endfor %}\n'
        "</ul></main></body></html>\n",
    },
    page="content/{folder}/{slug}.md",
    front_matter="Title: {title}\n\n",
    link=r"{filename}/\1.md",
)


def eleventy(modules: Path) -> Layout:
    """Eleventy's layout, its markdown-it given footnotes by ``markdown-it-footnote`` from the ``node_modules``
    folder Eleventy was installed in.  Markdown is not run through Liquid first: the pages hold none."""
    config = (
        f"const footnote = require({str(modules / 'markdown-it-footnote')!r});\n"
        "module.exports = function (config) {\n"
        '  config.amendLibrary("md", (md) => md.use(footnote));\n'
        '  config.addGlobalData("layout", "page.njk");\n'
        '  return { markdownTemplateEngine: false, dir: { input: "content" } };\n'
        "};\n"
    )
    return Layout(
        files={
            "eleventy.config.cjs": config,
            "content/_includes/page.njk": "<!DOCTYPE html><html><head><title>{{ title }}</title></head>\n"
            "<body><main><h1>{{ title }}</h1>{{ content | safe }}</main></body></html>\n",
            "content/index.md": "---\ntitle: Benchmark investigation\n---\n",
        },
        page="content/{folder}/{slug}.md",
        front_matter='---\ntitle: "{title}"\n---\n\n',
        link=r"/\1/",
    )


def corpus(site: Path) -> list[Page]:
    """Every source and every narrative of the generated investigation in ``site`` as a plain markdown page."""
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


def write(layout: Layout, pages: list[Page], root: Path) -> None:
    """A site of ``pages`` in ``layout`` in ``root`` (replaced)."""
    shutil.rmtree(root, ignore_errors=True)
    for name, text in layout.files.items():
        _write(root / name, text)
    for page in pages:
        body = PLACEHOLDER.sub(layout.link, page.body)
        path = root / layout.page.format(folder=page.folder, slug=page.slug)
        _write(path, layout.front_matter.format(title=page.title) + body)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
