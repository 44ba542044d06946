"""A verified quotation's footnote lands on the passage: in real Chromium, the footnote's link carries a URL text
fragment (``#:~:text=``), and following it to the report, served on 127.0.0.1 with the passage far down the page,
scrolls the passage into view. The browser keeps its defences (no CSP bypass); nothing leaves 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from conftest import BASE, built_site, make_site, static_server, wait_for

PASSAGE = "The Russian Federation adheres to a strategic line to intensify relations between the two countries"
FILLER = "".join(f"<p>Paragraph {n} of the report, about something else entirely.</p>\n" for n in range(120))
REPORT_PAGE = f"""\
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The report</title><link rel="icon" href="data:,"></head>
<body>
<h1>Russia to deepen ties with Myanmar's military</h1>
{FILLER}<p id="passage">"{PASSAGE}," Fomin said at the meeting.</p>
{FILLER}</body></html>
"""
STORED_TEXT = f'Russia to deepen ties with Myanmar\'s military\n\n"{PASSAGE}," Fomin said at the meeting.\n'


def test_a_quotations_footnote_opens_the_report_scrolled_to_the_passage(tmp_path: Path, browser) -> None:
    reports = make_site(tmp_path / "reports", {"report.html": REPORT_PAGE, "robots.txt": "User-agent: *\n"})
    with static_server(reports) as report_server:
        source = (
            f"title: Russia to deepen ties\npublisher: The Moscow Times\ndate: 2021-03-26\n"
            f"url: {report_server}report.html\nkind: article\n"
        )
        claim = f"  - text: “{PASSAGE},” Fomin said.\n    sources: [moscow-times-2021]\n"
        site, _ = built_site(
            tmp_path / "site",
            {
                **BASE,
                "content/sources/moscow-times-2021.yaml": source,
                "content/sources/moscow-times-2021.txt": STORED_TEXT,
                "content/events/naval-visit.yaml": f"title: A visit\nkind: visit\nclaims:\n{claim}",
            },
        )
        with static_server(site / "output") as site_server:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            leaving: list[str] = []
            context.route(
                lambda url: urlparse(url).hostname != "127.0.0.1" and not url.startswith("data:"),
                lambda route: (leaving.append(route.request.url), route.abort()),
            )
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda message: message.type == "error" and errors.append(message.text))
            page.goto(site_server + "events/naval-visit.html")
            link = page.locator("section.footnotes a.passage").first
            href = link.get_attribute("href")
            assert href.startswith(f"{report_server}report.html#:~:text="), href
            link.click()
            page.wait_for_url(f"{report_server}report.html*")
            wait_for(lambda: page.evaluate("window.scrollY") > 0, what="the report to scroll to the passage")
            box = page.evaluate(
                "() => { const r = document.getElementById('passage').getBoundingClientRect();"
                " return [r.top, r.bottom, window.innerHeight]; }"
            )
            top, bottom, height = box
            assert 0 <= top and bottom <= height, f"the passage is not in view: {box}"
            assert errors == [] and leaving == []
            context.close()
