"""A site in the reader's language: labels from the catalogs (or site.yaml), dates and numbers through Babel,
right-to-left layout, names in several scripts, and the publication's own byline and contact.

One fixture site is built by the real ``build.py`` in Burmese, Russian and Arabic (in parallel, once per module).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import BASE, ROOT, build_each, load_html, make_site, run_builds, static_server

from casefile.content.dates import FuzzyDate
from casefile.content.languages import check_overrides
from casefile.messages import LOCALE_DIR
from casefile.pages.i18n import format_date

META = """\
publisher: Frontier Desk
authors: [Aye Aye, Ivan Petrov]
published: 2021-07
contact: tips@example.org
"""
# Min Aung Hlaing in two scripts: the site's language picks the form that names him
NAMES = BASE["content/actors/min-aung-hlaing.yaml"].replace(
    "name: Min Aung Hlaing", "name:\n  en: Min Aung Hlaing\n  my: မင်းအောင်လှိုင်"
)
LANGUAGES = {
    "my": "language: my\nlabels:\n  Timeline: ဖြစ်စဉ်ပြဇယား\n",
    "ru": "language: ru\n",
    "ar": "language: ar\n",
}


def _site(root: Path, extra_yaml: str, **files: str) -> Path:
    return make_site(root, {**BASE, "site.yaml": BASE["site.yaml"] + extra_yaml + META, **files})


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture site built once per language; language → its output folder."""
    root = tmp_path_factory.mktemp("languages")
    folders = {
        lang: _site(root / lang, yaml, **{"content/actors/min-aung-hlaing.yaml": NAMES})
        for lang, yaml in LANGUAGES.items()
    }
    return build_each(folders)


def _nav(out: Path) -> list[str]:
    return [a.text for a in load_html(out / "index.html").find("nav").find_all("a")][:6]


def test_burmese_site_has_burmese_labels_with_the_site_override(sites: dict[str, Path]) -> None:
    assert _nav(sites["my"]) == ["ပါဝင်သူများ", "အရောင်းအဝယ်များ", "ဖြစ်ရပ်များ", "ဖြစ်စဉ်ပြဇယား", "ကွန်ရက်", "ရင်းမြစ်များ"]
    deal = load_html(sites["my"] / "deals/pantsir-contract.html")
    assert deal.find("h2", id="parties-title").text == "စာချုပ်ဝင်များ"
    assert deal.find("p", class_="kicker").text == "စာချုပ်"  # the deal's kind, from the model's vocabulary
    assert deal.find("h2", id="footnotes-title").text == "ရင်းမြစ်များ"
    timeline = load_html(sites["my"] / "timeline.html")
    assert timeline.find("title").text.startswith("ဖြစ်စဉ်ပြဇယား")
    assert timeline.find("h1").text == "ဖြစ်စဉ်ပြဇယား"  # written into the compiled template, override and all


def test_burmese_dates_keep_their_precision_in_burmese_digits(sites: dict[str, Path]) -> None:
    deal = load_html(sites["my"] / "deals/pantsir-contract.html")
    signed = deal.find("time", datetime="2018-01")
    assert signed is not None and signed.text == "၂၀၁၈ ဇန်နဝါရီ"  # a month stays a month
    event = load_html(sites["my"] / "events/naval-visit.html")
    assert event.find("time", datetime="2021-06-13").text == "၂၀၂၁ ဇွန် ၁၃ – ၁၉"  # machine-readable stays ISO
    amounts = [d.text for d in deal.find_all("data")]
    assert "၁,၅၀၀,၀၀၀,၀၀၀.၀၀ US$" in amounts
    headings = load_html(sites["my"] / "timeline.html").find_all("h2")
    assert [h.text for h in headings if h.attrs.get("id", "").startswith("year-")] == ["၂၀၁၈", "၂၀၂၁"]


def test_russian_site_has_russian_labels_and_dates(sites: dict[str, Path]) -> None:
    assert _nav(sites["ru"]) == ["Фигуранты", "Сделки", "События", "Хронология", "Сеть связей", "Источники"]
    event = load_html(sites["ru"] / "events/naval-visit.html")
    assert event.find("time", datetime="2021-06-13").text == "13–19 июн. 2021 г."  # text() collapses the \u202f
    assert event.find("h2", id="participants-title").text == "Участники"
    assert load_html(sites["ru"] / "sources/moscow-times-2021.html").find("time").text == "26 марта 2021 г."


def test_a_sentence_ending_in_a_date_has_one_full_stop_in_the_sites_language(sites: dict[str, Path]) -> None:
    """Russian dates end in "г." and the footnote added its own full stop: "26 марта 2021 г..". Burmese ends a
    sentence with ။, and the footnote added a Latin full stop."""
    for lang, out in sites.items():
        pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
        assert not any("г.." in page for page in pages), lang
    russian = load_html(sites["ru"] / "actors/min-aung-hlaing.html").find("section", class_="footnotes").text
    assert "26 марта 2021 г. " in russian or russian.rstrip().endswith("26 марта 2021 г.")
    burmese = load_html(sites["my"] / "actors/min-aung-hlaing.html").find("section", class_="footnotes")
    firsts = [span.text for span in burmese.find_all("span", class_="fn-part") if span.text.startswith("The Moscow")]
    assert firsts and all(text.endswith("၂၀၂၁ မတ် ၂၆။") for text in firsts), firsts
    sources = load_html(sites["my"] / "sources/index.html").find("main").text
    assert "၂၀၂၁ မတ် ၂၆." not in sources and "၂၀၂၁ မတ် ၂၆" in sources


def test_a_sources_language_is_named_not_coded(sites: dict[str, Path]) -> None:
    """A source page said "Language: en"; it names the language as the site's readers do."""
    shown = {
        lang: load_html(out / "sources/moscow-times-2021.html").find("dl", class_="facts").text
        for lang, out in sites.items()
    }
    assert "английский" in shown["ru"] and "အင်္ဂလိပ်" in shown["my"] and "الإنجليزية" in shown["ar"], shown


def test_maps_describe_the_network_in_the_site_language(sites: dict[str, Path]) -> None:
    """The relation on a line's tooltip is the interface's word, translated; a role written in content stays."""
    svg = load_html(sites["ru"] / "actors/russia.html").find("svg", class_="graph")
    edges = [title.text for title in svg.find_all("title") if "–" in title.text]
    assert "Russian naval delegation visits Myanmar – Russia: участник" in edges, edges
    assert "Pantsir-S1 contract – Russia: продавец" in edges, edges
    assert "Russia – Tatmadaw: Arms customer" in edges, edges  # a role's title, as the dossier writes it
    assert svg.find("desc").text.startswith("Фигуранты: "), svg.find("desc").text
    network = load_html(sites["ru"] / "graph.html").find("svg", class_="graph")
    assert network.find("title").text == "Сеть фигурантов, сделок и событий"


@pytest.mark.parametrize(
    ("text", "language", "shown"),
    [
        ("2021", "my", "၂၀၂၁"),
        ("2021-06", "my", "၂၀၂၁ ဇွန်"),
        ("2021-06", "ru", "июнь 2021\u202fг."),
        ("2021-06/2022-03", "ru", "июнь 2021\u202fг. – март 2022\u202fг."),
        ("2021/2021-06-13", "ar", "2021 – 13 يونيو 2021"),  # mixed precision: each end as written
        ("2021-06", "en", "June 2021"),  # English keeps the house style
    ],
)
def test_dates_are_shown_as_precisely_as_written(text: str, language: str, shown: str) -> None:
    assert format_date(FuzzyDate.parse(text), language) == shown


def test_catalogs_translate_every_label_the_interface_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The template (.pot) holds what `pybabel extract` finds now, and each shipped catalog translates all of it,
    keeping each label's placeholders."""
    monkeypatch.chdir(ROOT)
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    extracted = {found[2] for found in extract_from_dir(".", method_map, options_map)}  # (file, line, message, …)
    assert extracted == _catalog("casefile.pot").keys(), "labels changed: run pybabel extract (see babel.cfg)"
    for language in ("my", "ru"):
        translated = _catalog(f"{language}/LC_MESSAGES/casefile.po")
        assert translated.keys() == extracted, f"{language}: run pybabel update (see babel.cfg)"
        assert all(translated.values()), f"{language}: {[k for k, v in translated.items() if not v]} untranslated"
        check_overrides(translated)


def _catalog(name: str) -> dict[str, str]:
    with (LOCALE_DIR / name).open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id}


def test_right_to_left_language_gets_dir_rtl_and_others_none(sites: dict[str, Path]) -> None:
    assert load_html(sites["ar"] / "index.html").find("html").attrs.get("dir") == "rtl"
    assert "dir" not in load_html(sites["ru"] / "index.html").find("html").attrs


def test_name_in_several_scripts_shows_the_site_language_form_first(sites: dict[str, Path]) -> None:
    burmese = load_html(sites["my"] / "actors/min-aung-hlaing.html")
    assert burmese.find("h1").text == "မင်းအောင်လှိုင်"
    other = burmese.find("p", class_="name-forms").find("bdi")
    assert (other.text, other.attrs["lang"]) == ("Min Aung Hlaing", "en")
    russian = load_html(sites["ru"] / "actors/min-aung-hlaing.html")
    heading = russian.find("h1")  # no Russian form: the first written, marked as English
    assert (heading.text, heading.attrs.get("lang")) == ("Min Aung Hlaing", "en")
    assert russian.find("p", class_="name-forms").find("bdi").attrs["lang"] == "my"
    links = [a.text for a in load_html(sites["my"] / "actors/index.html").find_all("a")]
    assert "မင်းအောင်လှိုင်" in links  # links name him in the site's language too


def test_publisher_authors_and_contact_are_shown(sites: dict[str, Path]) -> None:
    home = load_html(sites["ru"] / "index.html")
    assert home.find("meta", name="author").attrs["content"] == "Aye Aye, Ivan Petrov"
    assert home.find("p", class_="byline").text == "Текст: Aye Aye, Ivan Petrov, июль 2021 г."
    footer = load_html(sites["ru"] / "actors/tatmadaw.html").find("footer")
    assert footer.find("p", class_="publisher").text.startswith("Издатель: Frontier Desk")
    contact = footer.find("p", class_="contact").find("a")
    assert contact.attrs["href"] == "mailto:tips@example.org"


def test_bad_language_settings_are_located_errors(tmp_path: Path) -> None:
    """Two sites (the label placeholders are checked only once every label is known), checked at once."""
    bad_name = "name:\n  en: Russia\n  xx-yy: Rossiya\nkind: state\n"
    first = make_site(
        tmp_path / "a",
        {
            **BASE,
            "site.yaml": BASE["site.yaml"] + "language: klingon\ncontact: call us\nlabels:\n  Actorz: People\n",
            "content/actors/russia.yaml": bad_name,
            "content/actors/tatmadaw.yaml": BASE["content/actors/tatmadaw.yaml"].replace("name:", "names:"),
        },
    )
    second = make_site(tmp_path / "b", {**BASE, "site.yaml": BASE["site.yaml"] + LABEL_LOSES_PLACEHOLDER})
    results = run_builds([(first, ("check",)), (second, ("check",))])
    expected = [
        ["site.yaml:5:11: error: 'klingon' is not a known language tag", "hint: write e.g. en, my or ru"],
        ["site.yaml:6:10: error: 'call us' is neither an e-mail address nor a web address"],
        ["site.yaml:8:11: error: 'Actorz' is not a label of the interface", "hint: did you mean 'Actors'"],
        ["content/actors/russia.yaml:2:3: error: 'xx-yy' is not a known language tag"],
        ["content/actors/tatmadaw.yaml:1:1: error: unknown field 'names'", "hint: did you mean 'name'?"],
        ["site.yaml:6:3: error: the label 'Connections of %(name)s' is given as 'Links', which changes its"],
    ]
    stderr = results[0].stderr + results[1].stderr
    assert [r.returncode for r in results] == [1, 1]
    for parts in expected:
        assert all(part in stderr for part in parts), f"{parts} not in:\n{stderr}"
    assert "Traceback" not in stderr


LABEL_LOSES_PLACEHOLDER = 'labels:\n  "Connections of %(name)s": Links\n'


# --------------------------------------------------------------------------------------------
# Right to left in a real browser: no page scrolls sideways on a phone
# --------------------------------------------------------------------------------------------

OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const out = [...document.body.querySelectorAll('*')].filter(e => {
    const r = e.getBoundingClientRect();
    return (r.width || r.height) && r.left < -0.5 && !e.closest('.table-wrap, figure');
  }).slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className + ': ' + e.outerHTML.slice(0, 120));
  return {scrollWidth: document.documentElement.scrollWidth, width: vw, out};
}"""


@pytest.mark.parametrize("path", ["index.html", "actors/min-aung-hlaing.html", "timeline.html", "graph.html"])
def test_right_to_left_pages_fit_a_phone(sites: dict[str, Path], browser, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        with static_server(sites["ar"]) as url:
            page.goto(f"{url}{path}", wait_until="load")
            assert page.evaluate("document.documentElement.dir") == "rtl"
            found = page.evaluate(OVERFLOW_JS)  # past the end edge (the skip link) cannot be scrolled to; the start can
        assert found["scrollWidth"] <= found["width"], f"{path} scrolls sideways: {found}"
        assert not errors, errors
    finally:
        context.close()


def test_a_name_in_burmese_script_finds_its_dossier(sites: dict[str, Path], browser) -> None:
    """On the Russian site Min Aung Hlaing's Burmese form stands beside his name: searching it finds him."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        with static_server(sites["ru"]) as url:
            page.goto(f"{url}search.html?q=မင်းအောင်လှိုင်", wait_until="load")
            page.wait_for_selector(".search-results li a")
            first = page.eval_on_selector(".search-results li a", "a => a.getAttribute('href')")
        assert first == "actors/min-aung-hlaing.html"
        assert not errors, errors
    finally:
        context.close()
