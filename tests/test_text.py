"""Text from anywhere: names in any script display correctly beside Latin text.

A right-to-left override (U+202E) in a name must not flip the rest of the line or of the
``<title>``; a label cut short (graph labels, warnings) must not split a Burmese syllable,
an emoji sequence or a flag. Checked on pages built by the real ``build.py`` and, for what
only a browser can tell (the order letters are drawn in), in Chromium.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
import regex
from conftest import BASE, built_site, load_html
from hypothesis import given, settings
from hypothesis import strategies as st

from casefile.text import contain_bidi, shorten

RLO, PDF, FSI, PDI = "\u202e", "\u202c", "\u2068", "\u2069"
BURMESE = "မင်းအောင်လှိုင်" * 10  # Min Aung Hlaing: syllables with stacked marks, longer than a label
FAMILY = "👩\u200d👩\u200d👧"  # one emoji: three people joined by zero-width joiners
FLAGS = "🇲🇲🇷🇺"  # two flags, each two regional indicators
NAMES = {
    "override-corp": f"{RLO}Override Corp",
    "stray-closer": f"Stray{PDI}{RLO} Closer",
    "defence-ministry": "وزارة الدفاع",
    "burmese-general": BURMESE,
    "family-office": FAMILY * 30,
    "flag-trader": FLAGS * 20,
}
ROLE = "hosted the talks"


def summit() -> str:
    participants = "".join(f"  - actor: {i}\n    role: {ROLE}\n" for i in NAMES)
    return (
        "title: Summit of many scripts\nkind: meeting\ndate: 2021-06-20\nsources: [moscow-times-2021]\n"
        f"participants:\n{participants}"
    )


FILES = {
    **BASE,
    **{
        f"content/actors/{i}.yaml": f'name: "{name}"\nkind: organization\nsources: [moscow-times-2021]\n'
        for i, name in NAMES.items()
    },
    "content/events/summit.yaml": summit(),
    # An item with no sources in a deal without its own: the warning quotes it, shortened.
    "content/deals/emoji-deal.yaml": (
        f"title: Emoji deal\nkind: contract\nparties:\n  - actor: russia\n    role: seller\n"
        f'    sources: [moscow-times-2021]\nitems:\n  - what: "{FAMILY * 60}"\n'
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The base site with names in many scripts, built once; (output folder, build's stderr)."""
    root, printed = built_site(tmp_path_factory.mktemp("text") / "site", FILES)
    return root / "output", printed


def units(text: str) -> list[str]:
    """Grapheme clusters, as the Unicode standard cuts them."""
    return regex.findall(r"\X", text)


# --------------------------------------------------------------------------------------------
# Isolation in the built pages
# --------------------------------------------------------------------------------------------


def test_links_isolate_names_and_close_their_overrides(site: tuple[Path, str]) -> None:
    page = load_html(site[0] / "events" / "summit.html")
    items = page.section("Participants").find_all("li")
    assert len(items) == len(NAMES)
    shown = {}
    for item in items:
        bdi = item.find("a").find("bdi")
        assert bdi is not None, f"a participant's name is not isolated: {item.text}"
        shown[bdi.text] = item
    assert f"{RLO}Override Corp{PDF}" in shown, "the override stays open after the name"
    assert f"Stray{RLO} Closer{PDF}" in shown, "a stray closer is kept, and could end the isolation early"
    for item in items:
        assert item.find_all("bdi")[1].text == ROLE


TITLES = {  # what the <title> shows of each name: isolated when it can reorder its neighbours
    "override-corp": f"{FSI}{RLO}Override Corp{PDF}{PDI}",
    "stray-closer": f"{FSI}Stray{RLO} Closer{PDF}{PDI}",
    "defence-ministry": f"{FSI}وزارة الدفاع{PDI}",
    "burmese-general": BURMESE,
    "family-office": FAMILY * 30,
}


@pytest.mark.parametrize("dossier_id", TITLES)
def test_titles_isolate_names_before_the_site_title(site: tuple[Path, str], dossier_id: str) -> None:
    title = load_html(site[0] / "actors" / f"{dossier_id}.html").find("title").text
    assert title == f"{TITLES[dossier_id]} · Test investigation"


def test_headings_and_summaries_take_their_own_direction(site: tuple[Path, str]) -> None:
    page = load_html(site[0] / "actors" / "defence-ministry.html")
    assert page.find("h1").attrs.get("dir") == "auto"


def test_graph_tooltips_isolate_names(site: tuple[Path, str]) -> None:
    html = (site[0] / "actors" / "defence-ministry.html").read_text(encoding="utf-8")
    assert f"<title>{FSI}وزارة الدفاع{PDI} – Summit of many scripts: {ROLE}</title>" in html


# --------------------------------------------------------------------------------------------
# Shortened labels
# --------------------------------------------------------------------------------------------


def own_label(site: Path, dossier_id: str) -> str:
    """The label under the dossier's own node on its page's map (always drawn: it is placed first)."""
    svg = load_html(site / "actors" / f"{dossier_id}.html").find("svg")
    return svg.find("g", class_="labels").find("text").text


@pytest.mark.parametrize("dossier_id", ["burmese-general", "family-office", "flag-trader"])
def test_graph_labels_are_cut_between_characters_as_read(site: tuple[Path, str], dossier_id: str) -> None:
    name, label = NAMES[dossier_id], own_label(site[0], dossier_id)
    assert label.endswith("…") and len(label) < len(name), label
    kept = label.removesuffix("…")
    assert name.startswith(kept)
    assert units(name)[: len(units(kept))] == units(kept), "the cut splits a grapheme cluster"
    rest = name[len(kept) :]
    assert not regex.match(r"\p{M}|\p{L}[\u103A\u1039]", rest), f"the cut splits a syllable before {rest[:3]!r}"
    assert not kept.endswith("\u1039")


def test_warnings_quote_long_text_without_splitting_an_emoji(site: tuple[Path, str]) -> None:
    [line] = [line for line in site[1].splitlines() if "emoji-deal" in line and "fact-without-sources" in line]
    quoted = line.split("the item '")[1].split("'")[0]
    assert quoted.endswith("…")
    assert set(units(quoted.removesuffix("…"))) == {FAMILY}


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("မြန်မာ", 1, "…"),
        ("မြန်မာနိုင်ငံ", 3, "မြန်မာ…"),
        (FAMILY * 3, 2, FAMILY + "…"),
        (FLAGS, 2, FLAGS),
        ("Myanmar", 7, "Myanmar"),
        ("Myanmar Now", 8, "Myanmar…"),
    ],
)
def test_shorten_counts_what_readers_see(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=2, max_value=30))
def test_shorten_never_cuts_inside_a_grapheme_cluster(text: str, limit: int) -> None:
    short = shorten(text, limit)
    if short == text:
        return
    kept = short.removesuffix("…")
    assert text.startswith(kept) and len(units(kept)) < limit
    assert units(text)[: len(units(kept))] == units(kept)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(f"ab\u05d0{RLO}{PDF}{PDI}{FSI}\u202a\u202b\u202d\u2066\u2067")))
def test_contained_text_leaves_nothing_open_and_keeps_its_letters(text: str) -> None:
    contained = contain_bidi(text)
    assert contain_bidi(contained) == contained
    assert [c for c in contained if c in "ab\u05d0"] == [c for c in text if c in "ab\u05d0"]


# --------------------------------------------------------------------------------------------
# In a browser: the order letters are drawn in
# --------------------------------------------------------------------------------------------

ORDER_JS = """() => [...document.querySelectorAll('section[aria-labelledby=participants-title] li')].map(li => {
  const name = [...li.querySelector('a').getClientRects()].pop();
  const role = li.querySelectorAll('bdi')[1].getClientRects()[0];
  return {name: li.querySelector('a').textContent, nameRight: name.right, nameTop: name.top,
          roleLeft: role.left, roleTop: role.top};
})"""


def test_an_override_in_a_name_does_not_flip_the_rest_of_the_line_in_chromium(site: tuple[Path, str]) -> None:
    chromium = shutil.which("chromium")
    if chromium is None or importlib.util.find_spec("playwright") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium and Playwright must be installed in CI (scripts/test.sh installs them)")
        pytest.skip("Debian's chromium or Playwright is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_page(viewport={"width": 2400, "height": 800})
        page.goto((site[0] / "events" / "summit.html").as_uri())
        rows = page.evaluate(ORDER_JS)
        page.goto((site[0] / "actors" / "defence-ministry.html").as_uri())
        heading, footer = (page.eval_on_selector(s, "e => getComputedStyle(e).direction") for s in ("h1", "footer"))
        browser.close()
    short = [row for row in rows if len(row["name"]) < 20]  # the names that fit on one line with their role
    assert len(short) == 3
    for row in short:
        assert row["roleTop"] == row["nameTop"], f"{row['name']!r} and its role are on different lines"
        assert row["roleLeft"] >= row["nameRight"], f"the line is reordered after {row['name']!r}"
    assert (heading, footer) == ("rtl", "ltr"), "an Arabic name's heading reads right to left, the page left to right"
