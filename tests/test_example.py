"""The shipped example investigation: built as a reader would get it."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import example_only, load_html

pytestmark = example_only
ROOT = Path(__file__).resolve().parent.parent
SEED_SOURCES = {
    "moscow-times-2021-07-06",
    "efe-2021-07-07",
    "myanmar-now-2021-07",
    "myanmar-now-2022-07",
    "moscow-times-2021-03-26",
}
MT_URLS = {
    "moscow-times-2021-07-06": "https://www.themoscowtimes.com/2021/07/06/russian-military-delegation-secretly-visited-myanmar-a-head-of-junta-leaders-moscow-visit-reports-a74444",
    "moscow-times-2021-03-26": "https://www.themoscowtimes.com/2021/03/26/russia-to-deepen-ties-with-myanmar-military-junta-top-defense-official-says-in-first-visit-after-coup-a73387",
}


class _Footnotes(HTMLParser):
    """Collects, per footnote, the hrefs inside it, and the markers in the text."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: dict[str, list[str]] = {}
        self.sources: dict[str, str] = {}
        self.markers: list[str] = []
        self._current: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "li" and (attributes.get("id") or "").startswith("fn-"):
            self._current, self._depth = attributes["id"], 0
            self.notes[self._current] = []
            self.sources[self._current] = attributes.get("data-source") or ""
        elif tag == "li" and self._current:
            self._depth += 1
        if tag == "a" and self._current:
            self.notes[self._current].append(attributes.get("href") or "")
            if attributes.get("class") == "source":
                self.notes[self._current].insert(0, attributes["href"])
        if tag == "a" and "fn-ref" in (attributes.get("class") or ""):
            self.markers.append(attributes["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._current:
            if self._depth == 0:
                self._current = None
            else:
                self._depth -= 1


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "site"
    result = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


def test_check_passes_without_warnings() -> None:
    result = subprocess.run([sys.executable, "build.py", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr and "error" not in result.stderr.replace("no errors", "")


def test_every_dossier_has_a_page(site: Path) -> None:
    content = ROOT / "content"
    for section in ("actors", "deals", "events", "sources"):
        for dossier in (content / section).glob("*.yaml"):
            assert (site / section / f"{dossier.stem}.html").is_file(), dossier
    for page in (content / "pages").glob("*.md"):
        expected = site / ("index.html" if page.stem == "index" else f"pages/{page.stem}.html")
        assert expected.is_file(), page


def test_every_footnote_resolves_to_a_seed_source(site: Path) -> None:
    notes_seen = 0
    for html_file in site.rglob("*.html"):
        parser = _Footnotes()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for marker in parser.markers:
            assert marker.lstrip("#") in parser.notes, (html_file, marker)
        for note_id, hrefs in parser.notes.items():
            notes_seen += 1
            cited = Path(hrefs[0]).stem  # the footnote's link to the source's page
            assert (html_file.parent / hrefs[0]).resolve().is_file()
            assert parser.sources[note_id] == cited
            assert cited in SEED_SOURCES, f"{html_file.relative_to(site)} {note_id} cites {cited}"
    assert notes_seen > 100


def test_moscow_times_urls_appear_where_cited(site: Path) -> None:
    for source_id, url in MT_URLS.items():
        citing_pages = 0
        for html_file in site.rglob("*.html"):
            text = html_file.read_text(encoding="utf-8")
            if f'sources/{source_id}.html"' in text and 'class="footnotes"' in text:
                citing_pages += 1
                assert f'href="{url}"' in text, html_file
        assert citing_pages >= 3, source_id
    sources_page = (site / "sources" / "moscow-times-2021-07-06.html").read_text(encoding="utf-8")
    assert MT_URLS["moscow-times-2021-07-06"] in sources_page


def _section(html: str, start: str) -> str:
    return html[html.index(start) :]


def test_conflicting_arms_import_figures_side_by_side(site: Path) -> None:
    html = (site / "deals" / "russian-arms-imports-myanmar.html").read_text(encoding="utf-8")
    values = _section(html, 'class="values side-by-side"')
    values = values[: values.index("</ul>")]
    assert "$1.5 billion" in values and "$807 million" in values
    notes = _Footnotes()
    notes.feed(html)
    by_figure = {}
    for item in values.split('<li class="value">')[1:]:
        figure = "$1.5 billion" if "$1.5 billion" in item else "$807 million"
        marker = re.search(r'href="#(fn-\d+)"', item).group(1)
        by_figure[figure] = notes.sources[marker]
    assert by_figure == {"$1.5 billion": "myanmar-now-2021-07", "$807 million": "moscow-times-2021-03-26"}


def test_un_vote_accounts_side_by_side(site: Path) -> None:
    [page] = [
        p
        for p in (site / "events").glob("*.html")
        if "General Assembly" in p.read_text(encoding="utf-8") and "Belarus" in p.read_text(encoding="utf-8")
    ]
    html = page.read_text(encoding="utf-8")
    assert "abstain" in html.lower()
    assert "opposed" in html.lower()
    notes = _Footnotes()
    notes.feed(html)
    cited = set(notes.sources.values())
    assert {"efe-2021-07-07", "myanmar-now-2021-07"} <= cited


# --- Attribution kept (issue 11) --------------------------------------------
# A fact a report attributes ("according to X", "X reported", "state media said") stays
# attributed on the built page, and a report that only relays another cites it.

DELEGATION = "events/russian-naval-delegation-2021-06.html"
MYANMAR_NOW = "myanmar-now-2021-07"
_BLOCK_TAGS = {"p", "li", "dd", "dt", "h1", "h2", "h3", "title", "option"}


class _Blocks(HTMLParser):
    """Text blocks of <main> (outside the footnotes): kind, text, and the footnotes cited in them.

    kind is "summary" for the dossier's one-line summary, "p" for narrative paragraphs,
    "claim" for an item of a claims list, otherwise the tag ("li", "dd", "h1", ...).
    """

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str, list[str]]] = []
        self._stack: list[list] = []  # [kind, text parts, footnote ids]
        self._lists: list[str] = []
        self._in_main = self._in_notes = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "main":
            self._in_main = True
        if tag == "section" and "footnotes" in classes:
            self._in_notes = True
        if not self._in_main or self._in_notes:
            return
        if tag in ("ul", "ol"):
            self._lists.append("claims" if "claims" in classes else tag)
        if tag in _BLOCK_TAGS:
            if tag == "p":
                kind = "summary" if "summary" in classes else "p"
            elif tag == "li":
                kind = "claim" if self._lists and self._lists[-1] == "claims" else "li"
            else:
                kind = tag
            self._stack.append([kind, [], []])
        if tag == "a" and "fn-ref" in classes and self._stack:
            self._stack[-1][2].append(attributes["href"].lstrip("#"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        if not self._in_main or self._in_notes:
            return
        if tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        if tag in _BLOCK_TAGS and self._stack:
            kind, parts, notes = self._stack.pop()
            text = re.sub(r"\s+", " ", "".join(parts)).strip()
            self.blocks.append((kind, text, notes))
            if self._stack:  # an enclosing block holds its inner blocks too
                self._stack[-1][1].append(" " + text + " ")
                self._stack[-1][2].extend(notes)

    def handle_data(self, data: str) -> None:
        if self._stack and not self._in_notes:
            self._stack[-1][1].append(data)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\[\d+\]", "", text)  # footnote markers
    return [s for s in re.split(r"(?<=[.;!?”\"])\s+(?=[A-Z“\"])", text) if s]


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def _blocks(html: str) -> list[tuple[str, str, list[str]]]:
    parser = _Blocks()
    parser.feed(html)
    return parser.blocks


def _prose_sentences(site: Path) -> list[tuple[str, str]]:
    """(page, sentence) for every sentence of a summary, narrative paragraph or claim on the site."""
    return [
        (name, sentence)
        for name, html in _pages(site).items()
        for kind, text, _ in _blocks(html)
        if kind in ("summary", "p", "claim")
        for sentence in _sentences(text)
    ]


def _cited(html: str, note_ids: list[str]) -> list[tuple[str, set[str]]]:
    """(source id, ids of the sources it is noted as citing) for each footnote id."""
    notes = _Footnotes()
    notes.feed(html)
    cited = []
    for note_id in note_ids:
        source = notes.sources[note_id]
        links = [h for h in notes.notes[note_id][1:] if h.endswith(".html") and not h.startswith(("#", "http"))]
        citing = {Path(h).stem for h in links} - {source}
        cited.append((source, citing))
    return cited


def _block_with(html: str, needle: str, kinds: tuple[str, ...] = ("li", "claim", "dd", "p")) -> tuple[str, list[str]]:
    matches = [(text, notes) for kind, text, notes in _blocks(html) if kind in kinds and needle in text]
    assert matches, needle
    return matches[0]


def _citations_after(html: str, needle: str) -> list[list[str]]:
    """For each mention of needle in <main>: the sources of the first footnote group after it, in its block."""
    main = html[html.index("<main") : html.find('<section class="footnotes"')]
    notes = _Footnotes()
    notes.feed(html)
    groups = []
    for match in re.finditer(re.escape(needle), main):
        rest = main[match.end() :]
        ends = [rest.find(tag) for tag in ("</p>", "</li>", "</dd>", "</h1>", "</title>", "</option>")]
        end = min((i for i in ends if i >= 0), default=len(rest))
        sup = re.search(r'<sup class="fn">(.*?)</sup>', rest[:end])
        if sup:
            groups.append([notes.sources[i] for i in re.findall(r'href="#(fn-\d+)"', sup.group(1))])
    return groups


def _read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def _summary(html: str) -> str:
    [summary] = [text for kind, text, _ in _blocks(html) if kind == "summary"]
    return summary


def test_no_page_calls_the_june_2021_trip_a_second_trip_to_russia(site: Path) -> None:
    """Myanmar Now: "his second trip abroad since seizing power … the seventh throughout his military career"."""
    for name, html in _pages(site).items():
        text = " ".join(text for _, text, _ in _blocks(html))
        assert "second trip to Russia" not in text, name
    trip = " ".join(text for _, text, _ in _blocks(_read(site, "events/min-aung-hlaing-russia-trip-2021-06.html")))
    assert "second trip abroad since seizing power" in trip and "seventh throughout his military career" in trip


def test_2022_company_meetings_are_what_junta_mouthpieces_reported(site: Path) -> None:
    summary = _summary(_read(site, "actors/rosoboronexport.html"))
    assert "2021 and 2022" not in summary
    assert "met company representatives" in summary and "junta mouthpieces" in summary
    checked = 0
    for name, sentence in _prose_sentences(site):
        if "company representatives" in sentence:
            checked += 1
            assert "junta mouthpieces" in sentence.lower(), (name, sentence)
    assert checked >= 5


def test_memorandum_signing_is_rosatoms_account(site: Path) -> None:
    """Rosatom told Myanmar Now that "the two countries signed" it: not "signed with Rosatom"."""
    checked = 0
    for name, sentence in _prose_sentences(site):
        assert not re.search(r"(signed|memorandum|MoU)\s+with Rosatom", sentence, re.I), (name, sentence)
        if "signed" in sentence and "emorandum" in sentence:
            checked += 1
            assert "Rosatom" in sentence, (name, sentence)
            assert re.search(r"\btold\b|according to|statement that", sentence), (name, sentence)
    assert checked >= 5


def test_memorandum_keeps_its_public_opinion_purpose(site: Path) -> None:
    """The report: "… nuclear energy and shaping positive public opinion on nuclear energy in Myanmar"."""
    html = (site / "deals/rosatom-nuclear-training-mou-2022.html").read_text(encoding="utf-8")
    [title] = [text for kind, text, _ in _blocks(html) if kind == "h1"]
    assert "shaping positive public opinion" in title
    checked = 0
    for name, html in _pages(site).items():
        for _, text, _ in _blocks(html):
            if re.search(r"nuclear-energy training|training (and skills development )?in the field of nuclear", text):
                checked += 1
                assert "public opinion" in text, (name, text)
    assert checked >= 5


def test_delegation_purpose_is_myanmar_nows_word(site: Path) -> None:
    """The Moscow Times: "Myanmar Now said the purpose … was not known"; Myanmar Now: "unclear, but … naval affairs"."""
    checked = 0
    for name, sentence in _prose_sentences(site):
        if "purpose" in sentence and re.search(r"not known|unclear", sentence):
            checked += 1
            assert "Myanmar Now" in sentence, (name, sentence)
    assert checked >= 3
    html = (site / DELEGATION).read_text(encoding="utf-8")
    assert "naval affairs" in _block_with(html, "purpose", ("summary",))[0]
    text, notes = _block_with(html, "was not known", ("claim",))
    assert _cited(html, notes) == [("moscow-times-2021-07-06", {"myanmar-now-2021-07"})]


def test_delegation_details_from_moscow_times_and_efe_cite_myanmar_now(site: Path) -> None:
    """The Moscow Times and EFE only relay Myanmar Now on the June 2021 delegation."""
    html = (site / DELEGATION).read_text(encoding="utf-8")
    date = [notes for kind, text, notes in _blocks(html) if kind == "dd" and "June 2021" in text][0]
    blocks = [date]
    for needle in ("20 members", "a representative accompanied the delegation", "Vladimir Kasatonov"):
        blocks.append(_block_with(html, needle, ("li", "claim"))[1])
    for notes in blocks:
        relays = [(source, citing) for source, citing in _cited(html, notes) if source != "myanmar-now-2021-07"]
        assert relays, notes
        for source, citing in relays:
            assert source in {"moscow-times-2021-07-06", "efe-2021-07-07"}
            assert citing == {"myanmar-now-2021-07"}, (source, citing)
    assert {source for source, _ in _cited(html, date)} == {"moscow-times-2021-07-06", "efe-2021-07-07", MYANMAR_NOW}
    footnotes = _section(html, 'class="footnotes"')
    citing = r'Citing <a href="\.\./sources/myanmar-now-2021-07\.html">(?:<bdi>)?Myanmar Now<'
    citing_myanmar_now = re.findall(citing, footnotes)
    assert len(citing_myanmar_now) >= 2
    kasatonov = (site / "actors/vladimir-kasatonov.html").read_text(encoding="utf-8")
    role = _block_with(kasatonov, "Deputy commander-in-chief", ("li",))[1]
    for source, citing in _cited(kasatonov, role):
        assert source == "myanmar-now-2021-07" or citing == {"myanmar-now-2021-07"}


def test_zemskov_conflict_is_the_moscow_times_retelling_myanmar_now(site: Path) -> None:
    """The Moscow Times' paraphrase of Myanmar Now ("led by … and … Zemskov") against Myanmar Now ("also included")."""
    for page in (DELEGATION, "actors/vladimir-zemskov.html"):
        html = (site / page).read_text(encoding="utf-8")
        led = [text for kind, text, _ in _blocks(html) if kind in ("li", "claim", "p") and "together with" in text]
        assert led, page
        for text in led:
            assert "Myanmar Now" in text, (page, text)
        for group in _citations_after(html, "together with"):
            assert group == ["moscow-times-2021-07-06"], (page, group)
        notes = [n for kind, text, n in _blocks(html) if kind == "claim" and "together with" in text]
        for note_ids in notes:
            assert _cited(html, note_ids) == [("moscow-times-2021-07-06", {"myanmar-now-2021-07"})], page
        assert any("also included" in text for _, text, _ in _blocks(html)), page
    zemskov = (site / "actors/vladimir-zemskov.html").read_text(encoding="utf-8")
    role = _block_with(zemskov, "Head of communications", ("li",))[1]
    assert _cited(zemskov, role) == [("moscow-times-2021-07-06", {"myanmar-now-2021-07"})]


def test_basov_is_named_only_by_myanmar_now(site: Path) -> None:
    """The Moscow Times says "a person from", EFE "a representative of" Rosoboronexport; only Myanmar Now names him."""
    groups = [group for html in _pages(site).values() for group in _citations_after(html, "Basov")]
    assert len(groups) >= 5
    for group in groups:
        assert set(group) == {"myanmar-now-2021-07"}, group


def test_2018_fighter_jet_date_is_left_open(site: Path) -> None:
    """Myanmar Now: "spoke about an agreement … in January 2018"; it does not say which the date belongs to."""
    html = (site / "deals/fighter-jets-agreement-2018.html").read_text(encoding="utf-8")
    assert 'datetime="2018-01"' not in html and "Announced" not in html
    checked = 0
    for name, sentence in _prose_sentences(site):
        if "January 2018" in sentence:
            checked += 1
            quoted = r"“[^”]*January 2018|\"[^\"]*January 2018"
            assert re.search(quoted + r"|does not make clear|without making clear", sentence), (name, sentence)
    assert checked >= 3


def test_ye_win_oo_roles_carry_the_date_of_the_report_that_gives_them(site: Path) -> None:
    html = (site / "actors/ye-win-oo.html").read_text(encoding="utf-8")
    roles = _section(html, '<ul class="roles">')
    roles = [re.sub(r"<[^>]+>", "", item) for item in roles[: roles.index("</ul>")].split("<li>")[1:]]
    assert len(roles) == 3
    dated = {"Chief of military security affairs": "June 2021", "Member": "June 2021", "Joint secretary": "July 2022"}
    for title, when in dated.items():
        [role] = [r for r in roles if r.startswith(title)]
        assert when in role, role
    summary = _summary(html)
    assert "June 2021" in summary and "July 2022" in summary


@pytest.mark.parametrize(
    ("mentions", "attribution"),
    [
        (r"(Likhachev|director general).*\bmet\b|\bmet\b.*(Likhachev|director general)", r"official press statements"),
        (r"Yevmenov.*\bmet\b|\bmet\b.*Yevmenov|met the Russian Navy", r"state-owned media|state media|reportedly"),
        (r"visit.*Kazan|Kazan.*visit", r"Global New Light|newspaper"),
        (r"(delegation|junta).*attend.*(ceremony|pagoda)", r"[Mm]outhpieces|Myanmar Now"),
    ],
    ids=["likhachev-meeting", "yevmenov-meeting", "kazan-visit", "pagoda-ceremony"],
)
def test_reported_meetings_keep_their_attribution(site: Path, mentions: str, attribution: str) -> None:
    checked = 0
    for name, sentence in _prose_sentences(site):
        if re.search(mentions, sentence):
            checked += 1
            assert re.search(attribution, sentence), (name, sentence)
    assert checked >= 2


def test_no_host_or_opposition_beyond_the_reports(site: Path) -> None:
    """EFE: Lavrov spoke "alongside his Indonesian counterpart"; "opposed to the military" is Bertil Lintner's."""
    assert "host" not in _summary(_read(site, "actors/indonesia.html")).lower()
    checked = 0
    for name, sentence in _prose_sentences(site):
        if "opposed to the military" in sentence or "Myanmar’s other chief ally" in sentence:
            checked += 1
            assert "Lintner" in sentence, (name, sentence)
    assert checked >= 2


def test_western_condemnation_is_kept(site: Path) -> None:
    """The Moscow Times: Russia's show of support "comes amid strong condemnation from Western nations"."""
    groups = [
        group
        for name in ("events/fomin-visit-2021-03-26.html", "actors/russia.html")
        for group in _citations_after(_read(site, name), "strong condemnation from Western nations")
    ]
    assert len(groups) >= 2
    for group in groups:
        assert group == ["moscow-times-2021-03-26"]


def test_other_relayed_facts_keep_their_attribution(site: Path) -> None:
    """The Irrawaddy on Wang Yi, The Moscow Times on the radar imports, the documents behind the Naypyitaw meeting."""
    rules = [
        (r"courtesy visit", r"Irrawaddy|^Report that"),
        (r"\$14\.7 million", r"Moscow Times|^Report that"),
        (r"Naypyitaw.*navy counterparts", r"documents"),
    ]
    for mentions, attribution in rules:
        checked = 0
        for name, sentence in _prose_sentences(site):
            if re.search(mentions, sentence):
                checked += 1
                assert re.search(attribution, sentence), (name, sentence)
        assert checked >= 2, mentions


# --- Content fixes of issue 24 ------------------------------------------------
# Each checks the built page against the seed report's own words.


def _relays_after(html: str, needle: str) -> list[list[tuple[str, set[str]]]]:
    """For each mention of needle in <main>: per citation of the first footnote group after it in its block,
    (source id, ids of the sources its footnote says it cites at that very citation)."""
    main = html[html.index("<main") : html.find('<section class="footnotes"')]
    footnotes = _section(html, '<section class="footnotes"')
    at: dict[str, tuple[str, set[str]]] = {}  # ref id -> (source, citing)
    for source, body in re.findall(r'<li id="fn-\d+"[^>]*data-source="([^"]*)">(.*?)</li>', footnotes, re.S):
        letters = dict(
            re.findall(r'<a href="#(ref-[\d-]+)"><span class="visually-hidden">[^<]*</span>([a-z]+)</a>', body)
        )
        parts = re.findall(r'<span class="fn-part">Citing (.*?)(?: \(at ([a-z, ]+)\))?\.</span>', body)
        for ref, letter in letters.items():
            citing = {
                cited
                for names, where in parts
                if not where or letter in where.split(", ")
                for cited in re.findall(r"sources/([a-z0-9-]+)\.html", names)
            }
            at[ref] = (source, citing)
    groups = []
    for match in re.finditer(re.escape(needle), main):
        rest = main[match.end() :]
        ends = [rest.find(tag) for tag in ("</p>", "</li>", "</dd>", "</h1>")]
        end = min((i for i in ends if i >= 0), default=len(rest))
        sup = re.search(r'<sup class="fn">(.*?)</sup>', rest[:end])
        if sup:
            groups.append([at[ref] for ref in re.findall(r'id="(ref-\d+-\d+)"', sup.group(1))])
    return groups


def _texts(html: str) -> list[str]:
    return [text for _, text, _ in _blocks(html)]


def test_lintner_paraphrase_is_not_in_quotation_marks(site: Path) -> None:
    """Myanmar Now paraphrases Lintner ("… has taken a different approach, he said"); his quoted words are only "China’s
    policy can be characterized …" and "If China doesn’t get …"."""
    paraphrase = (
        "other chief ally",
        "different approach",
        "wields a stick",
        "in the form of backing",
        "interests in the country are protected",
        "embraced the Myanmar military",
    )
    for name, html in _pages(site).items():
        for text in _texts(html):
            for quoted in re.findall(r"“([^”]*)”", text):
                assert not any(words in quoted for words in paraphrase), (name, quoted)
    china = " ".join(_texts(_read(site, "actors/china.html")))
    assert "different approach" in china and "Lintner" in china
    wa = " ".join(_texts(_read(site, "actors/united-wa-state-army.html")))
    assert "in the form of backing" in wa and "“China’s policy can be characterized" in wa


def test_methodology_quotes_rosatoms_attribution_word_for_word(site: Path) -> None:
    """Myanmar Now: "Rosatom’s communications department in Singapore told Myanmar Now that …"."""
    html = _read(site, "pages/methodology.html")
    assert "“Rosatom’s communications department in Singapore told Myanmar Now”" in html
    assert "“Rosatom told Myanmar Now”" not in html


def test_efe_navy_officers_cite_myanmar_now(site: Path) -> None:
    """EFE: "According to the report, the delegation … No state media … reported the visit, which mainly included
    Russian navy officers.": EFE relays Myanmar Now."""
    groups = [
        group
        for page in ("actors/russian-navy.html", DELEGATION)
        for group in _relays_after(_read(site, page), "mainly included Russian navy officers")
    ]
    assert len(groups) >= 3
    for group in groups:
        assert group == [("efe-2021-07-07", {MYANMAR_NOW})], group


def test_2022_company_meetings_date_credits_junta_media(site: Path) -> None:
    """Myanmar Now: "Junta mouthpieces reported that Min Aung Hlaing also met … later on Monday"."""
    html = _read(site, "events/roscosmos-rosoboronexport-meetings-2022-07.html")
    [date] = _relays_after(html, '<time datetime="2022-07">July 2022</time>')
    assert date == [("myanmar-now-2022-07", {"junta-state-media"})]


def test_retno_marsudi_is_only_lavrovs_indonesian_counterpart(site: Path) -> None:
    """EFE: "… in a press conference in Jakarta alongside his Indonesian counterpart Retno Marsudi"; "the ASEAN’s five
    principles", with no "on Myanmar"; EFE gives no title and no pronoun for Retno Marsudi."""
    summary = _summary(_read(site, "actors/indonesia.html"))
    assert "foreign minister" not in summary.lower() and "on Myanmar" not in summary
    for name, html in _pages(site).items():
        for text in _texts(html):
            assert "principles on Myanmar" not in text, (name, text)
            if "Marsudi" in text:
                assert not re.search(r"foreign minister,? Retno|Retno Marsudi, (Indonesia's )?foreign", text), (
                    name,
                    text,
                )
    jakarta = " ".join(_texts(_read(site, "events/lavrov-jakarta-2021-07-06.html")))
    assert "alongside her" not in jakarta


def test_myanmar_navy_summary_keeps_the_nine_members_stop(site: Path) -> None:
    """Myanmar Now: the purpose "was unclear"; "Nine members of the group … visited … Naypyitaw for one night to meet
    with Myanmar navy counterparts"."""
    summary = _summary(_read(site, "actors/myanmar-navy.html"))
    assert "came to meet" not in summary
    assert "Nine members" in summary and "one night" in summary and "unclear" in summary


def test_warship_port_entry_agreement_parties_are_not_signatories(site: Path) -> None:
    """Myanmar Now: "the two countries reached an agreement on the entry of Russian warships into Myanmar ports"."""
    html = _read(site, "deals/warship-port-entry-agreement-2018.html")
    assert "signatory" not in html and "signed" not in html.lower()
    for country in ("Russia", "Myanmar"):
        assert re.search(rf"<bdi>{country}</bdi></a> — party<sup", html), country
    assert "reached an agreement" in _summary(html)


def test_moscow_times_cites_note_keeps_it_said(site: Path) -> None:
    """The Moscow Times: "… citing a document it said it had obtained"."""
    html = _read(site, "sources/moscow-times-2021-07-06.html")
    [note] = [text for text in _texts(html) if "Myanmar Now's report" in text and "obtained" in text]
    assert "“a document it said it had obtained”" in note


def test_markdown_relays_say_whom_they_cite_as_the_methodology_promises(site: Path) -> None:
    """Item 3: the methodology page says relayed reports' footnotes read "Citing Myanmar Now"; the home page and the
    delegation narrative now say so too, and what Myanmar Now has from the documents cites the documents."""
    home = _read(site, "index.html")
    (relayed,) = _relays_after(home, "relayed Myanmar Now’s report")
    assert sorted(relayed) == [("efe-2021-07-07", {MYANMAR_NOW}), ("moscow-times-2021-07-06", {MYANMAR_NOW})]
    narrative = _read(site, DELEGATION)
    for words in ("are Myanmar Now’s, not their own", "led the delegation with Kasatonov", "its commercial center"):
        groups = _relays_after(narrative, words)
        relayed = [citing for group in groups for source, citing in group if source != MYANMAR_NOW]
        assert relayed and all(citing == {MYANMAR_NOW} for citing in relayed), (words, groups)
    for words in ("according to documents seen by Myanmar Now", "the documents showed"):
        assert [("myanmar-now-2021-07", {"myanmar-now-documents"})] in _relays_after(narrative, words), words


def test_the_delegation_key_finding_cites_the_documents(site: Path) -> None:
    """Item 5: key finding 3 ("according to documents seen by Myanmar Now") cites the documents, as the event does."""
    groups = _relays_after(_read(site, "index.html"), "secretly visited Myanmar, according to documents seen by")
    assert groups and all(group == [("myanmar-now-2021-07", {"myanmar-now-documents"})] for group in groups), groups


def test_the_un_vote_finding_is_a_conflict_not_one_origin(site: Path) -> None:
    """EFE says Russia opposed the resolution, Myanmar Now that it abstained: the home page once said "Rests on one
    independent origin: Myanmar Now" beside it. It is marked as sources that differ, and nothing says one origin."""
    home = load_html(site / "index.html")
    finding = next(item for item in home.find_all("li") if "EFE counts Russia among the nations" in item.text)
    assert [button.text for button in finding.find_all("button", class_="flag")] == ["sources differ"]
    assert "one origin" not in finding.text
    vote = load_html(site / "events/unga-resolution-2021-06.html")
    for item in vote.find_all("li"):
        if "abstained" in item.text or "opposed the resolution" in item.text:
            assert [button.text for button in item.find_all("button", class_="flag")] == ["sources differ"], item.text
