"""One investigation in several languages (issue 30), as a reader and a search engine meet it.

The base site with ``languages: [en, ru]`` and a ``base_url`` is built once for the module by the real
``build.py``, beside two one-language builds of the base site (as it is, and with a ``base_url``). The tatmadaw
summary, the deal's title, the event's claim and the method page's title are written in both languages, Min Aung
Hlaing's narrative and the method page have a Russian translation beside them, and two dossiers have an
``updated:`` date so that each edition has a feed. What is asserted is in the built files: the ``lang`` of every
page, the hreflang alternates and the language switcher (whose links must reach the same page in the other
edition), the note over a text shown untranslated, the sitemap, the feeds, and shared files kept at the root.

Mistakes in the languages are each a tiny site of their own, built at once: each must be an error at its
``file:line`` with a hint, and no traceback.
"""

from __future__ import annotations

import json
import posixpath
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import BASE, Node, build_each, load_html, make_site, run_builds

BASE_URL = "https://example.org/inv/"
EDITION_YAML = f"languages: [en, ru]\nbase_url: {BASE_URL}\n"
# The word the Russian narrative holds and no English text does: the browser tests search for it too.
RUSSIAN_WORD = "главнокомандующий"
UNTRANSLATED_NOTE = "Ещё не переведено; показан оригинал, язык: английский."
TATMADAW_RU = "Вооружённые силы Мьянмы."
DEAL_RU = "Контракт на зенитные комплексы «Панцирь-С1»"
CLAIM_RU = "Цель визита не была обнародована."
METHOD_RU = "Как мы ссылаемся на источники"


def _replaced(name: str, old: str, new: str) -> str:
    text = BASE[name]
    assert old in text, f"the base site's {name} no longer holds {old!r}"
    return text.replace(old, new)


# The base investigation with a Russian edition (the browser tests build the same site).
EDITIONS: dict[str, str] = {
    **BASE,
    "site.yaml": BASE["site.yaml"] + EDITION_YAML,
    "content/actors/tatmadaw.yaml": _replaced(
        "content/actors/tatmadaw.yaml",
        "summary: Myanmar's armed forces.\n",
        f"summary:\n  en: Myanmar's armed forces.\n  ru: {TATMADAW_RU}\nupdated: 2024-05-02\n",
    ),
    "content/actors/russia.yaml": BASE["content/actors/russia.yaml"] + "updated: 2024-04-01\n",
    "content/actors/min-aung-hlaing.ru.md": f"""\
Мин Аунг Хлайн — {RUSSIAN_WORD} [[tatmadaw]].

Он принял российскую делегацию [@myanmar-now-2021, p. 3].

О визите сообщали обе стороны [@moscow-times-2021; @sipri-arms-data].
""",
    "content/deals/pantsir-contract.yaml": _replaced(
        "content/deals/pantsir-contract.yaml",
        "title: Pantsir-S1 contract\n",
        f"title:\n  en: Pantsir-S1 contract\n  ru: {DEAL_RU}\n",
    ),
    "content/events/naval-visit.yaml": _replaced(
        "content/events/naval-visit.yaml",
        "  - text: The purpose of the visit was not made public.\n",
        f"  - text:\n      en: The purpose of the visit was not made public.\n      ru: {CLAIM_RU}\n",
    ),
    "content/pages/method.md": _replaced(
        "content/pages/method.md",
        "title: How we source\n",
        f"title:\n  en: How we source\n  ru: {METHOD_RU}\n",
    ),
    "content/pages/method.ru.md": """\
Мы указываем источник каждого утверждения.

См. [[tatmadaw|вооружённые силы]].
""",
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The site in two languages, and the base site in one (as it is, and with a base_url): name → output."""
    root = tmp_path_factory.mktemp("editions")
    one_with_url = {**BASE, "site.yaml": BASE["site.yaml"] + f"base_url: {BASE_URL}\n"}
    return build_each(
        {
            "two": make_site(root / "two", EDITIONS),
            "one": make_site(root / "one", BASE),
            "one-url": make_site(root / "one-url", one_with_url),
        }
    )


@pytest.fixture(scope="module")
def out(outputs: dict[str, Path]) -> Path:
    return outputs["two"]


# --------------------------------------------------------------------------------------------
# Helpers: the pages of each edition, their alternates and the language each text is in
# --------------------------------------------------------------------------------------------


def edition_pages(out: Path) -> dict[str, list[str]]:
    """The pages of each edition by their path inside the edition: the English at the root (but the 404 page,
    which is the site's, not an edition's), the Russian under ru/."""
    english = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "ru")
    russian = sorted(p.relative_to(out / "ru").as_posix() for p in (out / "ru").rglob("*.html"))
    return {"en": [p for p in english if p != "404.html"], "ru": russian}


def site_path(language: str, path: str) -> str:
    """Where the page ``path`` of the edition in ``language`` is in the output folder."""
    return path if language == "en" else f"ru/{path}"


def address(file: str) -> str:
    """The absolute address a file of the output has under base_url: an index.html is its folder's address."""
    return BASE_URL + re.sub(r"(^|/)index\.html$", r"\1", file)


def file_of(url: str) -> str:
    """The output file an absolute address under base_url names."""
    assert url.startswith(BASE_URL), f"{url!r} is not under the base_url {BASE_URL}"
    path = url[len(BASE_URL) :]
    return path + "index.html" if path == "" or path.endswith("/") else path


def alternates(page: Node) -> dict[str, str]:
    """hreflang → href of the page's ``<link rel="alternate" hreflang>`` (a feed's alternate has no hreflang)."""
    found: dict[str, str] = {}
    for link in page.find_all("link", rel="alternate"):
        if "hreflang" in link.attrs:
            assert link.attrs["hreflang"] not in found, f"hreflang {link.attrs['hreflang']} named twice"
            found[link.attrs["hreflang"]] = link.attrs["href"]
    return found


def resolved(from_file: str, href: str) -> str:
    """The output file a relative ``href`` on the page ``from_file`` leads to (without its #fragment)."""
    target = href.split("#")[0]
    assert "://" not in target and not target.startswith("/"), f"{href!r} on {from_file} is not relative"
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_file), target))


def lang_of(node: Node) -> str | None:
    """The language an element is in: its own ``lang`` or its nearest ancestor's."""
    at: Node | None = node
    while at is not None:
        if "lang" in at.attrs:
            return at.attrs["lang"]
        at = at.parent
    return None


def only(nodes: list[Node], what: str) -> Node:
    assert len(nodes) == 1, f"{len(nodes)} {what}, not one"
    return nodes[0]


# --------------------------------------------------------------------------------------------
# Two editions: the language of each page, alternates both ways, the switcher
# --------------------------------------------------------------------------------------------


def test_each_edition_is_in_its_language_the_default_at_the_root(out: Path) -> None:
    pages = edition_pages(out)
    assert len(pages["en"]) > 15, pages
    assert pages["ru"] == pages["en"], "the editions do not hold the same pages"
    assert load_html(out / "ru" / "index.html").find("html").attrs.get("lang") == "ru"
    wrong = [
        f"{site_path(language, path)}: <html lang={html.attrs.get('lang')!r}>"
        for language, paths in pages.items()
        for path in paths
        if (html := load_html(out / site_path(language, path)).find("html")).attrs.get("lang") != language
    ]
    assert not wrong, "\n".join(wrong)


def test_every_page_names_itself_and_its_twin_as_alternates_and_both_exist(out: Path) -> None:
    """Search engines ask for alternates both ways: each page names every edition of itself, its own included."""
    problems = []
    for language, paths in edition_pages(out).items():
        for path in paths:
            file = site_path(language, path)
            page = load_html(out / file)
            expected = {lang: address(site_path(lang, path)) for lang in ("en", "ru")}
            if (found := alternates(page)) != expected:
                problems.append(f"{file}: alternates {found}, expected {expected}")
                continue
            problems += [f"{file}: {url} is no file" for url in found.values() if not (out / file_of(url)).is_file()]
            canonical = only(page.find_all("link", rel="canonical"), f"canonical links on {file}").attrs["href"]
            if canonical != expected[language]:
                problems.append(f"{file}: canonical {canonical}, but its own alternate is {expected[language]}")
    assert not problems, "\n".join(problems)


def test_the_switcher_leads_to_the_same_page_in_the_other_edition(out: Path) -> None:
    names = {"en": "English", "ru": "Русский"}
    problems = []
    for language, paths in edition_pages(out).items():
        for path in paths:
            file = site_path(language, path)
            nav = only(load_html(out / file).find_all("nav", class_="languages"), f"nav.languages on {file}")
            links = {a.attrs.get("lang"): a for a in nav.find_all("a")}
            if set(links) != {"en", "ru"} or len(nav.find_all("a")) != 2:
                problems.append(f"{file}: the switcher's links are {[a.attrs for a in nav.find_all('a')]}")
                continue
            for lang, link in links.items():
                where = f"{file}: the {names[lang]} link"
                target = resolved(file, link.attrs["href"])
                if link.text != names[lang]:
                    problems.append(f"{where} reads {link.text!r}")
                if target != site_path(lang, path):
                    problems.append(f"{where} leads to {target}, not {site_path(lang, path)}")
                elif not (out / target).is_file():
                    problems.append(f"{where} leads to {target}, which is no file")
                current = link.attrs.get("aria-current")
                if lang == language and current != "page":
                    problems.append(f"{where} is the current page, without aria-current=page")
                if lang != language and (current is not None or link.attrs.get("hreflang") != lang):
                    problems.append(f"{where}: aria-current={current!r}, hreflang={link.attrs.get('hreflang')!r}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------------
# Translated and untranslated texts
# --------------------------------------------------------------------------------------------


def test_an_untranslated_summary_is_shown_in_english_marked_and_under_a_note(out: Path) -> None:
    """Russia's summary has no Russian form: its Russian page shows the English, lang="en", and says so."""
    page = load_html(out / "ru" / "actors" / "russia.html")
    note = only(page.find_all("p", class_="untranslated"), "notes on ru/actors/russia.html")
    assert note.attrs.get("role") == "note"
    assert note.text == UNTRANSLATED_NOTE
    assert lang_of(note) == "ru"
    summary = only(page.find_all("p", class_="summary"), "summaries on ru/actors/russia.html")
    assert summary.text == "The Russian Federation."
    assert summary.attrs.get("lang") == "en"


def test_a_translated_page_is_in_russian_with_no_note(out: Path) -> None:
    """The tatmadaw's summary is written in both languages: each edition shows its own, no note, no lang="en"."""
    russian = load_html(out / "ru" / "actors" / "tatmadaw.html")
    assert not russian.find_all(class_="untranslated"), "ru/actors/tatmadaw.html notes an untranslated text"
    summary = only(russian.find_all("p", class_="summary"), "summaries on ru/actors/tatmadaw.html")
    assert summary.text == TATMADAW_RU
    assert lang_of(summary) == "ru"
    english = load_html(out / "actors" / "tatmadaw.html")
    assert only(english.find_all("p", class_="summary"), "summaries").text == "Myanmar's armed forces."


def test_the_english_edition_notes_nothing_untranslated(out: Path) -> None:
    noted = [
        path
        for path in edition_pages(out)["en"]
        if load_html(out / path).find_all(class_="untranslated") or RUSSIAN_WORD in (out / path).read_text("utf-8")
    ]
    assert not noted, f"English pages with a note of an untranslated text, or the Russian narrative: {noted}"


def test_titles_and_claims_written_in_both_languages_are_shown_in_each(out: Path) -> None:
    deal = load_html(out / "ru" / "deals" / "pantsir-contract.html")
    h1 = only(deal.find_all("h1"), "h1 on the Russian deal")
    assert h1.text == DEAL_RU and lang_of(h1) == "ru"
    assert only(load_html(out / "deals" / "pantsir-contract.html").find_all("h1"), "h1").text == "Pantsir-S1 contract"
    event = (out / "ru" / "events" / "naval-visit.html").read_text("utf-8")
    assert CLAIM_RU in event and "The purpose of the visit" not in event
    # a link to the deal on another Russian page names it in Russian
    actor = load_html(out / "ru" / "actors" / "russia.html")
    assert DEAL_RU in [a.text for a in actor.find_all("a") if a.attrs.get("href") == "../deals/pantsir-contract.html"]


def test_the_translated_narrative_is_in_russian_without_lang_en(out: Path) -> None:
    page = load_html(out / "ru" / "actors" / "min-aung-hlaing.html")
    narrative = only(page.find_all("div", class_="narrative"), "narratives on ru/actors/min-aung-hlaing.html")
    assert RUSSIAN_WORD in narrative.text
    assert "leads the" not in narrative.text, "the English narrative is shown beside the Russian one"
    marked = [node.tag for node in narrative.iter() if node.attrs.get("lang") == "en"]
    assert lang_of(narrative) == "ru" and not marked, f"the Russian narrative is marked English: {marked}"
    english = load_html(out / "actors" / "min-aung-hlaing.html")
    assert "Min Aung Hlaing leads the" in only(english.find_all("div", class_="narrative"), "narratives").text


def test_an_untranslated_narrative_is_the_english_one_in_a_div_lang_en_under_a_note(out: Path) -> None:
    """The home page has no Russian translation; the method page has one, and its title, but no Russian summary."""
    home = load_html(out / "ru" / "index.html")
    narrative = only(home.find_all("div", class_="narrative"), "narratives on ru/index.html")
    wrappers = [d for d in narrative.find_all("div", lang="en") if "This site follows the" in d.text]
    assert wrappers, "the English narrative on ru/index.html is not in a <div lang=en>"
    assert home.find_all("p", class_="untranslated", role="note"), "ru/index.html has no note"
    method = load_html(out / "ru" / "pages" / "method.html")
    assert only(method.find_all("h1"), "h1").text == METHOD_RU
    body = only(method.find_all("div", class_="narrative"), "narratives on ru/pages/method.html")
    assert "Мы указываем источник" in body.text and "We cite" not in body.text
    assert not body.find_all(lang="en"), "the translated page body is marked English"
    assert only(method.find_all("p", class_="summary"), "summaries").attrs.get("lang") == "en"


CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def test_russian_text_is_never_marked_as_english(out: Path) -> None:
    """Every text in Cyrillic is in an element whose language is ru: a screen reader reads it with a Russian voice.

    A Russian title linked from inside an untranslated English narrative must carry lang="ru" of its own."""
    problems = []
    for language, paths in edition_pages(out).items():
        for path in paths:
            file = site_path(language, path)
            for node in load_html(out / file).iter():
                if node.tag in ("script", "style"):
                    continue
                for text in (child for child in node.children if isinstance(child, str) and CYRILLIC.search(child)):
                    if (lang := lang_of(node)) != "ru":
                        problems.append(f"{file}: {text.strip()!r} in <{node.tag}> is in lang={lang!r}")
    assert not problems, "\n".join(problems)


def test_the_network_marks_an_untranslated_title_in_its_own_language(out: Path) -> None:
    """In the Russian network, a node's tooltip (its link's title) and its label are read in the language they are
    written in: the naval visit has no Russian title, so English; the deal has one, so the page's Russian."""
    svg = only(load_html(out / "ru" / "graph.html").find_all("svg", class_="graph"), "network on ru/graph.html")
    nodes = {a.attrs["href"].rsplit("/", 1)[-1]: a for a in svg.find_all("a")}
    visit, deal = nodes["naval-visit.html"], nodes["pantsir-contract.html"]
    assert only(visit.find_all("title"), "visit title").text == "Russian naval delegation visits Myanmar"
    assert visit.attrs.get("lang") == "en" and lang_of(visit) == "en"
    assert only(deal.find_all("title"), "deal title").text == DEAL_RU and lang_of(deal) == "ru"
    labels = {text.text.replace(" ", ""): text.attrs.get("lang") for text in svg.find_all("text")}  # lines: tspans
    expected = {"Russian naval delegation visits Myanmar": "en", DEAL_RU: None}
    assert labels == labels | {title.replace(" ", ""): lang for title, lang in expected.items()}, labels
    english = only(load_html(out / "graph.html").find_all("svg", class_="graph"), "network on graph.html")
    assert not [node.attrs for node in english.iter() if "lang" in node.attrs], "the default edition marks its own"


# --------------------------------------------------------------------------------------------
# Sitemap, feeds, shared files
# --------------------------------------------------------------------------------------------

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_the_sitemap_lists_every_page_in_each_language_with_its_alternates(out: Path) -> None:
    urls = ET.parse(out / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
    listed = {}
    for url in urls:
        loc = url.findtext(f"{SITEMAP}loc")
        links = url.findall(f"{XHTML}link")
        assert all(link.get("rel") == "alternate" for link in links), loc
        listed[loc] = {link.get("hreflang"): link.get("href") for link in links}
    assert len(listed) == len(urls), "a page is listed twice"
    expected = {}
    for language, paths in edition_pages(out).items():
        for path in paths:
            twins = {lang: address(site_path(lang, path)) for lang in ("en", "ru")}
            expected[twins[language]] = twins
            # the sitemap and the page itself agree
            assert alternates(load_html(out / site_path(language, path))) == twins, site_path(language, path)
    assert listed == expected
    assert all((out / file_of(loc)).is_file() for loc in listed)


def _feed(path: Path) -> ET.Element:
    return ET.parse(path).getroot()


def test_each_edition_has_its_own_feed_whose_entries_lead_into_it(out: Path) -> None:
    english, russian = _feed(out / "feed.xml"), _feed(out / "ru" / "feed.xml")
    assert english.get(XML_LANG) == "en" and russian.get(XML_LANG) == "ru"
    selves = [feed.find(f"{ATOM}link[@rel='self']").get("href") for feed in (english, russian)]
    assert selves == [BASE_URL + "feed.xml", BASE_URL + "ru/feed.xml"]
    for feed, folder in ((english, ""), (russian, "ru/")):
        entries = {
            entry.findtext(f"{ATOM}title"): (entry.find(f"{ATOM}link").get("href"), entry.findtext(f"{ATOM}summary"))
            for entry in feed.findall(f"{ATOM}entry")
        }
        assert set(entries) == {"Tatmadaw", "Russia"}, entries
        for title, (href, _summary) in entries.items():
            assert href == f"{BASE_URL}{folder}actors/{title.lower()}.html", (folder, title, href)
            assert (out / file_of(href)).is_file(), href
        summaries = {title: summary for title, (_href, summary) in entries.items()}
        assert summaries["Tatmadaw"] == (TATMADAW_RU if folder else "Myanmar's armed forces.")
    # each page names its own edition's feed
    for file, feed in (("actors/russia.html", "feed.xml"), ("ru/actors/russia.html", "ru/feed.xml")):
        links = load_html(out / file).find_all("link", rel="alternate", type="application/atom+xml")
        assert [resolved(file, link.attrs["href"]) for link in links] == [feed], file


def test_shared_files_stay_at_the_root(out: Path) -> None:
    """static/, the data files, the dossiers' JSON and the search index once, at the root: ru/ holds its pages
    and its feed, and its pages use the root's files."""
    under_ru = sorted(p.relative_to(out).as_posix() for p in (out / "ru").rglob("*") if p.is_file())
    strays = [p for p in under_ru if not p.endswith(".html") and p != "ru/feed.xml"]
    assert not strays, f"shared files copied under ru/: {strays}"
    for folder in ("static", "pagefind", "data"):
        assert (out / folder).is_dir() and not (out / "ru" / folder).exists(), folder
    file = "ru/actors/tatmadaw.html"
    page = load_html(out / file)
    used = [link.attrs["href"] for link in page.find_all("link", rel="stylesheet")]
    used += [script.attrs["src"] for script in page.find_all("script") if "src" in script.attrs]
    used += [a.attrs["href"] for a in page.find_all("a", type="application/json")]
    targets = [resolved(file, href) for href in used]
    assert "static/casefile.css" in targets and "actors/tatmadaw.json" in targets, targets
    assert all((out / target).is_file() and not target.startswith("ru/") for target in targets), targets
    search = load_html(out / "ru" / "search.html").find("article", id="search")
    assert resolved("ru/search.html", search.attrs["data-bundle"]) == "pagefind/pagefind.js"


def test_one_search_index_holds_each_edition_in_its_language(out: Path) -> None:
    languages = json.loads((out / "pagefind" / "pagefind-entry.json").read_text("utf-8"))["languages"]
    counts = {lang: entry["page_count"] for lang, entry in languages.items()}
    assert set(counts) == {"en", "ru"} and counts["en"] == counts["ru"] > 5, counts


# --------------------------------------------------------------------------------------------
# One language: nothing of the above
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["one", "one-url"])
def test_a_one_language_site_has_no_alternates_and_no_switcher(outputs: dict[str, Path], name: str) -> None:
    site = outputs[name]
    assert not (site / "ru").exists()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 15
    for path in pages:
        page = load_html(path)
        assert not alternates(page), f"{path}: hreflang alternates on a one-language site"
        assert not page.find_all("nav", class_="languages"), f"{path}: a language switcher on a one-language site"
        assert not page.find_all(class_="untranslated"), f"{path}: a note of an untranslated text"
        assert page.find("html").attrs.get("lang") == "en"
    sitemap = site / "sitemap.xml"
    if name == "one-url":
        assert "xhtml:link" not in sitemap.read_text("utf-8") and "hreflang" not in sitemap.read_text("utf-8")
    else:
        assert not sitemap.exists()


# --------------------------------------------------------------------------------------------
# Mistakes: each a located error with a hint
# --------------------------------------------------------------------------------------------

TWO = {"site.yaml": BASE["site.yaml"] + "languages: [en, ru]\n"}
MISTAKES: dict[str, tuple[dict[str, str], str, str, str]] = {
    # name: (files over BASE, where (a regex of file:line:col), the message, the hint)
    "a summary in an unknown language": (
        {
            **TWO,
            "content/actors/tatmadaw.yaml": _replaced(
                "content/actors/tatmadaw.yaml", "summary: Myanmar's armed forces.", "summary: {en: x, rx: y}"
            ),
        },
        r"content/actors/tatmadaw\.yaml:4:\d+",
        "'rx' is not one of the site's languages (en, ru)",
        "did you mean 'ru'?",
    ),
    "a narrative in a language the site is not in": (
        {**TWO, "content/actors/min-aung-hlaing.de.md": "Min Aung Hlaing führt die Streitkräfte.\n"},
        r"content/actors/min-aung-hlaing\.de\.md:1:\d+",
        "'de' is not one of the site's languages (en, ru)",
        "add 'de' to `languages:` in site.yaml",
    ),
    "a translation of no dossier": (
        {**TWO, "content/actors/nobody.ru.md": "Никто.\n"},
        r"content/actors/nobody\.ru\.md:1:\d+",
        "'nobody.ru.md' has no dossier nobody beside it",
        "nobody.yaml with nobody.ru.md",
    ),
    # BASE's site.yaml has four lines: `language:` is on the fifth, `languages:` on the sixth; either is the place
    "language: that is not the first of languages:": (
        {"site.yaml": BASE["site.yaml"] + "language: ru\nlanguages: [en, ru]\n"},
        r"site\.yaml:[56]:\d+",
        "'language: ru' is not the first of 'languages:'",
        "remove `language:`",
    ),
}


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every mistake's site built at once: name → the build's result."""
    root = tmp_path_factory.mktemp("mistakes")
    sites = [make_site(root / f"site{i}", {**BASE, **files}) for i, (files, *_) in enumerate(MISTAKES.values())]
    return dict(zip(MISTAKES, run_builds([(site, ()) for site in sites]), strict=True))


@pytest.mark.parametrize("name", list(MISTAKES))
def test_a_mistake_in_the_languages_is_an_error_at_its_line_with_a_hint(
    mistakes: dict[str, subprocess.CompletedProcess[str]], name: str
) -> None:
    _files, where, message, hint = MISTAKES[name]
    result = mistakes[name]
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    found = [i for i, line in enumerate(lines) if message in line and ": error: " in line]
    assert found, f"no error {message!r}; the build printed:\n{result.stderr}"
    line = lines[found[0]]
    assert re.match(rf"{where}: error: ", line), f"the error is not at {where}:\n{line}"
    following = lines[found[0] + 1] if found[0] + 1 < len(lines) else ""
    assert following.startswith("    hint: ") and hint in following, f"hint {hint!r} not after:\n{line}\n{following}"
