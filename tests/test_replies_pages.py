"""The right of reply as readers see it: a Response section on actor, deal and event pages, one entry per reply
written as sentences in the site's language with its footnotes; a link beside each claim a reply answers; and an
editor's sign-off in the header only where site.yaml publishes them.

One fixture site holds a reply of every kind; it is built by the real ``build.py`` in English, Russian and Burmese
(in parallel, once per module), and the example once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASE, ROOT, build_each, example_only, load_html, make_site, parse_html, run_build
from test_html_valid import validation_errors

from casefile.content.loader import load_site
from casefile.content.review import review_digest
from casefile.diagnostics import Diagnostics

# Russia's own page: asked by email with a deadline, and nothing came; no sources (a request is the newsroom's own)
RUSSIA = (
    BASE["content/actors/russia.yaml"]
    + """\
replies:
  - asked: 2021-07-01
    via: email
    deadline: 2021-07-05
    response: none
"""
)
# Min Aung Hlaing's own page: asked in person, no deadline, declined without a word
MIN_AUNG_HLAING = (
    BASE["content/actors/min-aung-hlaing.yaml"]
    + """\
replies:
  - asked: 2021-07-01
    via: in person
    response: none
  - asked: 2021-07-06
    via: other
    response: declined
"""
)
# The deal: two claims with ids; the Tatmadaw declines in words, Russia answers, both about the price
PANTSIR = BASE["content/deals/pantsir-contract.yaml"] + (
    """\
claims:
  - id: price
    text: The price was never disclosed.
    sources: [moscow-times-2021]
  - id: delivery
    text: The systems were delivered in 2019.
    sources: [moscow-times-2021]
replies:
  - from: tatmadaw
    asked: 2021-07-02
    via: letter
    response: declined
    text: The Tatmadaw does not discuss contracts
    sources: [tatmadaw-statement]
    answers: [price]
  - from: russia
    asked: 2021-07-03
    via: phone
    deadline: 2021-07-09
    response: answered
    text: The contract was signed in 2018.
    sources: [moscow-times-2021]
    answers: [price, delivery]
"""
)
# The event: only a report that neither side has commented, naming both
NAVAL_VISIT = (
    BASE["content/events/naval-visit.yaml"]
    + """\
replies:
  - from: [russia, tatmadaw]
    response: no-comment-reported
    text: Neither country has commented on the trip.
    sources: [moscow-times-2021]
"""
)
STATEMENT = """\
title: Statement on arms purchases
publisher: Tatmadaw True News Information Team
date: 2021-07-04
url: https://example.org/tatmadaw-statement
kind: statement
"""
FILES = {
    "content/actors/russia.yaml": RUSSIA,
    "content/actors/min-aung-hlaing.yaml": MIN_AUNG_HLAING,
    "content/deals/pantsir-contract.yaml": PANTSIR,
    "content/events/naval-visit.yaml": NAVAL_VISIT,
    "content/sources/tatmadaw-statement.yaml": STATEMENT,
}
# Sign-offs: the Tatmadaw's as it stands, Russia's before the reply above was added (any digest but its own)
STALE_DIGEST = "0123456789abcdef" * 2


def replies_site(root: Path, language: str = "en", publish_reviews: bool = False) -> Path:
    """The fixture site with a reply of every kind, in ``language``; with the sign-offs shown if asked."""
    site = make_site(root, {**BASE, **FILES})
    (tatmadaw,) = [d for d in load_site(site, Diagnostics()).dossiers if d.id == "tatmadaw"]
    signed = {
        "tatmadaw": f"reviewed:\n  - {{by: Aye Aye, on: 2021-07-10, digest: '{review_digest(tatmadaw)}'}}\n",
        "russia": f"reviewed:\n  - {{by: Ivan Petrov, on: 2021-07-11, digest: '{STALE_DIGEST}'}}\n",
    }
    config = BASE["site.yaml"] + f"language: {language}\n" + ("publish_reviews: true\n" if publish_reviews else "")
    files = BASE | FILES
    actors = {f"content/actors/{id_}.yaml": files[f"content/actors/{id_}.yaml"] + s for id_, s in signed.items()}
    return make_site(root, {"site.yaml": config, **actors})


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """language → the built fixture site's output; English publishes the sign-offs, the others do not."""
    root = tmp_path_factory.mktemp("replies")
    folders = {lang: replies_site(root / lang, lang, publish_reviews=lang == "en") for lang in ("en", "ru", "my")}
    return build_each(folders)


def _entries(out: Path, path: str, heading: str = "Response") -> list:
    return load_html(out / path).section(heading).find("ul", class_="replies").find_all("li")


def _read(node) -> str:
    """What a reader reads: the text without the word joiner that keeps a footnote marker by its word."""
    return node.text.replace("\u2060", "")


def _note_of(page, marker) -> str:
    """The publisher of the footnote a marker points to."""
    note = page.find("li", id=marker.attrs["href"].lstrip("#"))
    return note.find("bdi").text


def test_a_request_that_went_unanswered_reads_as_a_sentence_with_its_deadline(sites: dict[str, Path]) -> None:
    (entry,) = _entries(sites["en"], "actors/russia.html")
    assert _read(entry) == "Asked for comment by email on 1 July 2021; did not respond by 5 July 2021."
    assert entry.attrs["id"] == "reply-1"
    assert [t.attrs["datetime"] for t in entry.find_all("time")] == ["2021-07-01", "2021-07-05"]


def test_without_a_deadline_the_by_part_is_left_out_and_a_refusal_needs_no_words(sites: dict[str, Path]) -> None:
    entries = [_read(e) for e in _entries(sites["en"], "actors/min-aung-hlaing.html")]
    assert entries == [
        "Asked for comment in person on 1 July 2021; did not respond.",
        "Asked for comment on 6 July 2021; declined to comment.",
    ]


def test_a_refusal_and_an_answer_quote_the_party_name_it_and_cite_where_it_is_on_record(
    sites: dict[str, Path],
) -> None:
    """The Tatmadaw's words end without a full stop, so one follows the closing quote; Russia's end in one. The
    deadline Russia was given is said too."""
    page = load_html(sites["en"] / "deals/pantsir-contract.html")
    declined, answered = page.section("Response").find_all("li")
    assert _read(declined) == (
        "Tatmadaw: asked for comment by letter on 2 July 2021; declined to comment: "
        "“The Tatmadaw does not discuss contracts”.[3]"
    )
    assert _read(answered) == (
        "Russia: asked for comment by phone on 3 July 2021, to answer by 9 July 2021; answered: "
        "“The contract was signed in 2018.”[1]"
    )
    assert declined.find("a").attrs["href"] == "../actors/tatmadaw.html"  # whom it records, linked
    assert answered.find("a").attrs["href"] == "../actors/russia.html"
    assert [_note_of(page, m) for m in declined.find_all("a", class_="fn-ref")] == [
        "Tatmadaw True News Information Team"
    ]
    assert [_note_of(page, m) for m in answered.find_all("a", class_="fn-ref")] == ["The Moscow Times"]


def test_a_report_of_no_comment_names_both_parties_quotes_the_report_and_never_says_asked(
    sites: dict[str, Path],
) -> None:
    page = load_html(sites["en"] / "events/naval-visit.html")
    (entry,) = page.section("Response").find_all("li")
    assert _read(entry) == "Russia and Tatmadaw: no comment reported. “Neither country has commented on the trip.”[2]"
    assert [a.attrs["href"] for a in entry.find_all("a")[:2]] == ["../actors/russia.html", "../actors/tatmadaw.html"]
    (marker,) = entry.find_all("a", class_="fn-ref")
    assert _note_of(page, marker) == "The Moscow Times"
    assert "asked" not in entry.text.lower() and not entry.find_all("time")


def test_a_claim_a_reply_answers_links_to_it_and_can_be_linked_to(sites: dict[str, Path]) -> None:
    """The price is answered twice: a link to each, by whom; the delivery once: "Response on record"."""
    page = load_html(sites["en"] / "deals/pantsir-contract.html")
    claims = page.section("What the sources report")
    price, delivery = claims.find("li", id="claim-price"), claims.find("li", id="claim-delivery")
    (note,) = price.find_all("span", class_="reply-note")
    assert note.text == "Responses on record: Tatmadaw, Russia"
    assert [(a.text, a.attrs["href"]) for a in note.find_all("a")] == [("Tatmadaw", "#reply-1"), ("Russia", "#reply-2")]
    assert [(a.text, a.attrs["href"]) for a in delivery.find_all("a", class_="reply-note")] == [
        ("Response on record", "#reply-2")
    ]
    assert {"reply-1", "reply-2"} <= page.ids
    # a claim no reply answers, and one without an id, get neither
    event = load_html(sites["en"] / "events/naval-visit.html").section("What the sources report")
    assert not event.find_all("a", class_="reply-note") and "id" not in event.find("li").attrs


def test_pages_without_replies_have_no_response_section(sites: dict[str, Path]) -> None:
    for path in ("actors/tatmadaw.html", "sources/moscow-times-2021.html"):
        assert "Response" not in [h.text for h in load_html(sites["en"] / path).find_all("h2")], path


def test_russian_replies_have_one_full_stop_and_russian_quotes(sites: dict[str, Path]) -> None:
    out = sites["ru"]
    assert [_read(e) for e in _entries(out, "actors/russia.html", "Ответ")] == [
        "Комментарий запрошен по электронной почте 1 июля 2021 г.; ответа к 5 июля 2021 г. не поступило."
    ]
    declined, answered = (_read(e) for e in _entries(out, "deals/pantsir-contract.html", "Ответ"))
    assert declined == (
        "Tatmadaw: комментарий запрошен письмом 2 июля 2021 г.; от комментариев отказались: "
        "«The Tatmadaw does not discuss contracts».[3]"
    )
    assert answered == (
        "Russia: комментарий запрошен по телефону 3 июля 2021 г. с просьбой ответить до 9 июля 2021 г.; "
        "ответ: «The contract was signed in 2018.»[1]"
    )
    (reported,) = (_read(e) for e in _entries(out, "events/naval-visit.html", "Ответ"))
    assert reported == (
        "Russia и Tatmadaw: по сообщениям, комментариев не было. «Neither country has commented on the trip.»[2]"
    )
    assert [_read(e) for e in _entries(out, "actors/min-aung-hlaing.html", "Ответ")] == [
        "Комментарий запрошен лично 1 июля 2021 г.; ответа не поступило.",
        "Комментарий запрошен 6 июля 2021 г.; от комментариев отказались.",
    ]
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    assert not any("г.." in page for page in pages)


def test_burmese_replies_end_with_the_burmese_full_stop(sites: dict[str, Path]) -> None:
    out = sites["my"]
    (asked,) = (_read(e) for e in _entries(out, "actors/russia.html", "တုံ့ပြန်ချက်"))
    assert asked == "၂၀၂၁ ဇူလိုင် ၁ တွင် အီးမေးလ်ဖြင့် မှတ်ချက်တောင်းခဲ့သည်၊ ၂၀၂၁ ဇူလိုင် ၅ အထိ တုံ့ပြန်ခြင်း မရှိခဲ့ပါ။"
    (reported,) = (_read(e) for e in _entries(out, "events/naval-visit.html", "တုံ့ပြန်ချက်"))
    assert reported.startswith("Russia")
    assert "မှတ်ချက်ပေးခြင်း မရှိကြောင်း သတင်းရှိသည်။ “Neither country has commented on the trip.”[၁]" in reported or (
        reported.endswith("မှတ်ချက်ပေးခြင်း မရှိကြောင်း သတင်းရှိသည်။ “Neither country has commented on the trip.”[2]")
    ), reported
    declined, _ = (_read(e) for e in _entries(out, "deals/pantsir-contract.html", "တုံ့ပြန်ချက်"))
    assert declined.endswith("ငြင်းဆိုခဲ့သည်: “The Tatmadaw does not discuss contracts”။[3]"), declined
    entries = [_read(e) for page in out.rglob("*.html") for e in parse_html(page.read_text("utf-8")).find_all("li")]
    assert not any(text.endswith(("။.", ".။")) for text in entries)


def _sign_off(out: Path, path: str):
    return load_html(out / path).find("header", class_="dossier-header").find("p", class_="reviewed")


def test_a_sign_off_shows_in_the_header_only_where_site_yaml_publishes_it(sites: dict[str, Path]) -> None:
    signed = _sign_off(sites["en"], "actors/tatmadaw.html")
    assert signed is not None and signed.text == "Reviewed by Aye Aye on 10 July 2021"
    changed = _sign_off(sites["en"], "actors/russia.html")
    assert changed is not None and changed.text == "Reviewed by Ivan Petrov on 11 July 2021 · changed since review"
    assert load_html(sites["en"] / "actors/min-aung-hlaing.html").find("p", class_="reviewed") is None  # never signed
    for lang in ("ru", "my"):  # publish_reviews is off: no names, no dates
        for path in ("actors/tatmadaw.html", "actors/russia.html"):
            html = (sites[lang] / path).read_text(encoding="utf-8")
            assert 'class="reviewed"' not in html and "Aye Aye" not in html and "Ivan Petrov" not in html, path


def test_replies_claim_anchors_and_sign_offs_are_valid_html(sites: dict[str, Path]) -> None:
    """By the Nu HTML Checker, in every language: ids unique, the quotations and links well formed."""
    shown = load_html(sites["en"] / "deals/pantsir-contract.html")
    assert {"claim-price", "claim-delivery", "reply-1", "reply-2", "response-title"} <= shown.ids
    assert load_html(sites["en"] / "actors/russia.html").find("p", class_="reviewed") is not None
    errors = validation_errors(*sites.values())
    assert errors == [], "\n".join(errors)


# --------------------------------------------------------------------------------------------
# The example: the Moscow Times' line that neither Russia nor Myanmar has commented
# --------------------------------------------------------------------------------------------

EXAMPLE_EVENT = "events/russian-naval-delegation-2021-06.html"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("replies-example") / "public"
    result = run_build(ROOT, out=out)
    assert result.returncode == 0, result.stderr
    return out


@example_only
def test_the_example_event_records_that_neither_country_has_commented(example: Path) -> None:
    page = load_html(example / EXAMPLE_EVENT)
    (entry,) = page.section("Response").find_all("li")
    said = "Russia and Myanmar: no comment reported. “Neither country has commented on the trip.”"
    assert _read(entry).startswith(said)
    assert [a.attrs["href"] for a in entry.find_all("a")[:2]] == ["../actors/russia.html", "../actors/myanmar.html"]
    (marker,) = entry.find_all("a", class_="fn-ref")
    note = page.find("li", id=marker.attrs["href"].lstrip("#"))
    assert note.attrs["data-source"] == "moscow-times-2021-07-06"
    assert note.find("bdi").text == "The Moscow Times"
    assert "asked" not in entry.text.lower()


def test_a_replys_words_are_shown_as_text_never_as_markup(tmp_path: Path) -> None:
    """What a party wrote back is quoted: markup in it reaches the reader as the characters it is made of."""
    hostile = '<script>alert(1)</script><a href="https://evil.example">click</a>'
    russia = (
        BASE["content/actors/russia.yaml"]
        + f"replies:\n  - asked: 2021-07-01\n    via: email\n    response: answered\n    text: '{hostile}'\n"
    )
    site = make_site(tmp_path / "site", BASE | {"content/actors/russia.yaml": russia})
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    page = (site / "output/actors/russia.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "evil.example" not in parse_html(page).hrefs()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
