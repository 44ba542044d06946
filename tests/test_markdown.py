"""Casefile markdown: ``[[id]]`` links and ``[@source]`` citations found with their
lines, unsafe links reported, raw HTML escaped."""

from __future__ import annotations

import pytest
from markupsafe import escape

from casefile.content import markdown


class FakePage:
    """Stands in for the page being rendered: records what the markdown asked for."""

    def __init__(self) -> None:
        self.links: list[tuple[str, str | None]] = []
        self.cites: list[list[tuple[str, str | None]]] = []

    def link(self, target: str, text: str | None) -> str:
        self.links.append((target, text))
        return f'<a href="{target}.html">{escape(text or target)}</a>'

    def cite(self, refs: list[tuple[str, str | None]]) -> str:
        self.cites.append([tuple(r) for r in refs])
        return "<sup>[n]</sup>"


def refs(text: str) -> list[tuple[str, str, int]]:
    return [(r.kind, r.target, r.line) for r in markdown.references(markdown.parse(text))]


def test_references_are_found_with_their_lines() -> None:
    text = (
        "# Title\n"
        "\n"
        "The [[tatmadaw]] is Myanmar's army.\n"
        "It buys from [[russia|Moscow]] [@moscow-times-2021, p. 3].\n"
        "\n"
        "- a list item citing [@a; @b]\n"
        "- and [[min-aung-hlaing]]\n"
    )
    assert refs(text) == [
        ("link", "tatmadaw", 3),
        ("link", "russia", 4),
        ("cite", "moscow-times-2021", 4),
        ("cite", "a", 6),
        ("cite", "b", 6),
        ("link", "min-aung-hlaing", 7),
    ]


def test_references_inside_emphasis_and_tables_are_found() -> None:
    text = "*See [[russia]]*\n\n| who | source |\n|---|---|\n| x | [@sipri] |\n"
    assert refs(text) == [("link", "russia", 1), ("cite", "sipri", 5)]


def test_references_in_code_are_not_references() -> None:
    assert refs("Write `[[id]]` to link.\n\n    [@not-a-cite]\n") == []


def test_render_asks_the_page_for_links_and_numbered_citations() -> None:
    page = FakePage()
    html = markdown.render(markdown.parse("See [[russia|Moscow]] [@mt, p. 3; @mn].\n"), page)
    assert page.links == [("russia", "Moscow")]
    assert page.cites == [[markdown.Citation("mt", "p. 3"), markdown.Citation("mn")]]
    assert '<a href="russia.html">Moscow</a>' in html
    assert "[[" not in html and "[@" not in html


@pytest.mark.parametrize(
    ("written", "cited"),
    [
        ("[@efe citing mn]", [markdown.Citation("efe", None, ("mn",))]),
        ("[@efe citing mn and tass, p. 2]", [markdown.Citation("efe", "p. 2", ("mn", "tass"))]),
        (
            "[@efe own voice; @mn citing docs]",
            [markdown.Citation("efe", None, (), True), markdown.Citation("mn", None, ("docs",))],
        ),
        ("[@mt, p. 3]", [markdown.Citation("mt", "p. 3")]),
    ],
)
def test_a_citation_names_whom_the_report_relays_or_its_own_voice(written: str, cited: list) -> None:
    page = FakePage()
    markdown.render(markdown.parse(f"It happened {written}.\n"), page)
    assert page.cites == [cited]
    assert [ref.target for ref in markdown.references(markdown.parse(written))] == [
        name for citation in cited for name in (citation.id, *citation.citing)
    ]


def test_javascript_links_are_reported_with_their_lines() -> None:
    tokens = markdown.parse(
        "Fine: [site](https://example.org), [mail](mailto:a@example.org), [rel](../actors/russia.html).\n"
        "\n"
        "Bad: [click](javascript:alert(1))\n"
        "and [also](JavaScript:void(0)) and ![img](data:image/png;base64,AAAA)\n"
    )
    bad = markdown.unsafe_links(tokens)
    assert [url for url, _ in bad] == ["javascript:alert(1)", "JavaScript:void(0)", "data:image/png;base64,AAAA"]
    assert [line for _, line in bad] == [3, 4, 4]


def test_safe_links_are_not_reported() -> None:
    tokens = markdown.parse("[a](https://example.org) [b](http://x.org) [c](mailto:x@y.org) [d](page.html#x)\n")
    assert markdown.unsafe_links(tokens) == []


def test_javascript_link_is_not_rendered_as_a_link() -> None:
    html = markdown.render(markdown.parse("[click](javascript:alert(1))\n"), FakePage())
    assert "javascript:" not in html.lower()
    assert "click" in html


def test_raw_html_is_escaped_not_passed_through() -> None:
    html = markdown.render(
        markdown.parse(
            '<script>alert(1)</script>\n\nText with <b onclick="x()">bold</b> and <img src=x onerror=alert(1)>.\n'
        ),
        FakePage(),
    )
    assert "<script" not in html and "<b" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b onclick" in html


def test_html_in_wikilink_text_is_escaped() -> None:
    html = markdown.render(markdown.parse("[[russia|<i>x</i>]]\n"), FakePage())
    assert "<i>" not in html


def test_inline_claim_text_has_no_paragraph() -> None:
    page = FakePage()
    html = markdown.render(markdown.parse_inline("Said by [[russia]] *twice*"), page)
    assert "<p>" not in html and "<em>twice</em>" in html
    assert page.links == [("russia", None)]


def test_an_aligned_table_column_gets_a_class_not_an_inline_style_and_the_table_scrolls_on_its_own() -> None:
    """The site's CSP refuses inline styles: markdown-it's style="text-align:right" was blocked (a console error,
    the alignment lost). A wide table scrolls in its frame instead of widening the page on a phone."""
    html = markdown.render(markdown.parse("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n"), FakePage())
    assert "style=" not in html
    assert html.count('class="align-left"') == 2 and html.count('class="align-center"') == 2
    assert html.count('class="align-right"') == 2
    assert html.startswith('<div class="table-wrap" tabindex="0"><table>') and html.endswith("</table>\n</div>\n")
    code = markdown.render(markdown.parse("```\na very long line\n```\n"), FakePage())
    assert code.startswith('<pre tabindex="0"><code>'), "a keyboard can scroll a code block too"
