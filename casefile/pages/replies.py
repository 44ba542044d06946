"""The Response section of an actor, deal or event: each reply as sentences in the site's language.

"Asked for comment by email on 1 July 2021; did not respond by 5 July 2021." A reply that records someone
other than the page's own actor names them first ("Russia and Myanmar: no comment reported."), and a report
that a party has not commented never reads as a request. Each entry ends with its footnotes and has an anchor
(``reply-1``…) that the claims it answers link to. The clauses are gettext messages, so that a translation can
order a date and a verb as its language does; the sentence ends with the site's own full stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from markupsafe import Markup, escape

from casefile.content.dates import FuzzyDate
from casefile.content.model import Answerable, Claim, Dossier, Reply
from casefile.content.review import last_review, review_state
from casefile.investigation.resolve import Investigation
from casefile.messages import N_, babel_locale
from casefile.pages.i18n import format_date, full_stop, site_labels
from casefile.text import contain_bidi

# How the party was asked: the clause that opens the entry, by `via:`
REQUESTS = {
    "email": N_("asked for comment by email on %(asked)s"),
    "letter": N_("asked for comment by letter on %(asked)s"),
    "phone": N_("asked for comment by phone on %(asked)s"),
    "in person": N_("asked for comment in person on %(asked)s"),
    "other": N_("asked for comment on %(asked)s"),
}
# The deadline, where the outcome does not say it ("did not respond by …")
ANSWER_BY = N_("%(request)s, to answer by %(deadline)s")
# What came of it, with and without the words (`text:`) or the deadline
NO_ANSWER_BY = N_("did not respond by %(deadline)s")
NO_ANSWER = N_("did not respond")
DECLINED = N_("declined to comment")
DECLINED_SAYING = N_("declined to comment: %(text)s")
ANSWERED = N_("answered: %(text)s")
REQUEST_AND_OUTCOME = N_("%(request)s; %(outcome)s")
# Only a report says the party has not commented: nothing says it was asked
NO_COMMENT_REPORTED = N_("no comment reported")
QUOTED = N_("“%(text)s”")
WHOM = N_("%(names)s: %(entry)s")
# A quotation's closing marks, after which the quotation's own full stop ends the sentence
_CLOSING = "”»’\"'」』)"


class Page(Protocol):
    """What the section needs of the page it is on (:class:`casefile.pages.context.PageContext` is one)."""

    investigation: Investigation

    def link(self, target: Any, text: str | None = None) -> Markup: ...
    def cite(self, refs: Any) -> Markup: ...
    def name(self, dossier: Dossier) -> str: ...


@dataclass(frozen=True)
class Entry:
    """One reply as the Response section shows it: its anchor and its sentences, footnotes included."""

    anchor: str
    text: Markup


@dataclass(frozen=True)
class Answer:
    """A link from a claim to a reply that answers it, and whom the reply records (for a claim answered twice)."""

    anchor: str
    names: str


@dataclass(frozen=True)
class SignOff:
    """The newest sign-off of a dossier, where site.yaml publishes them."""

    by: str
    on: FuzzyDate
    changed: bool  # the dossier was edited after it


def anchor(index: int) -> str:
    """The id of the dossier's ``index``-th reply (from 0) on its page: ``reply-1``…"""
    return f"reply-{index + 1}"


def entries(page: Page, dossier: Answerable) -> list[Entry]:
    """Every reply of ``dossier``, in the order written; cites their sources as the section is shown."""
    return [Entry(anchor(index), _entry(page, dossier, reply)) for index, reply in enumerate(dossier.replies)]


def answers(page: Page, dossier: Dossier, claim: Claim) -> list[Answer]:
    """The replies that answer ``claim`` (by its ``id:``), to link to beside it."""
    if claim.id is None or not isinstance(dossier, Answerable):
        return []
    language = page.investigation.config.language
    return [
        Answer(anchor(index), _listed([_label(page, who) for who in dossier.asked(reply)], language))
        for index, reply in enumerate(dossier.replies)
        if claim.id in reply.answers
    ]


def _label(page: Page, actor: str) -> str:
    """An actor's name, also when it is a draft left out of the site."""
    found = page.investigation.dossiers.get(actor)
    return page.name(found) if found is not None else page.investigation.drafts[actor].label


def sign_off(page: Page, dossier: Dossier) -> SignOff | None:
    """Who signed ``dossier`` off and when, only where site.yaml says ``publish_reviews: true``."""
    review = last_review(dossier)
    if review is None or not page.investigation.config.publish_reviews:
        return None
    return SignOff(review.by, review.on, review_state(dossier) == "changed")


def _entry(page: Page, dossier: Answerable, reply: Reply) -> Markup:
    config = page.investigation.config
    language = config.language
    _ = site_labels(config).gettext

    def say(message: str, **values: Markup) -> Markup:
        return escape(_(message)) % values

    def when(date: FuzzyDate) -> Markup:
        return Markup('<time datetime="%s">%s</time>') % (date.iso, format_date(date, language))

    quoted = say(QUOTED, text=Markup("<bdi>%s</bdi>") % contain_bidi(reply.text)) if reply.text else None
    if reply.response == "no-comment-reported":
        said = say(NO_COMMENT_REPORTED)
    else:
        assert reply.asked is not None and reply.via is not None  # a request has both (casefile.content.model)
        if reply.response == "answered" and quoted is not None:
            outcome = say(ANSWERED, text=quoted)
        elif reply.response == "declined":
            outcome = say(DECLINED_SAYING, text=quoted) if quoted is not None else say(DECLINED)
        else:
            outcome = say(NO_ANSWER_BY, deadline=when(reply.deadline)) if reply.deadline else say(NO_ANSWER)
        request = say(REQUESTS[reply.via], asked=when(reply.asked))
        if reply.deadline and reply.response != "none":
            request = say(ANSWER_BY, request=request, deadline=when(reply.deadline))
        said = say(REQUEST_AND_OUTCOME, request=request, outcome=outcome)
    whom = dossier.asked(reply)
    if whom and whom != [dossier.id]:  # the page's own actor needs no name
        said = say(WHOM, names=_names(page, whom, language), entry=said)
    else:
        said = _capitalised(said)
    said += _ending(said, language)
    if reply.response == "no-comment-reported" and quoted is not None:  # the report's words, as a sentence
        said += Markup(" ") + quoted + _ending(quoted, language)
    return said + page.cite(reply.sources)


def _listed(names: list[str], language: str) -> str:
    """Names as the site's language lists them: "Russia and Myanmar", "Russia и Myanmar"."""
    from babel.lists import format_list

    return format_list(names, locale=babel_locale(language)) if names else ""


def _names(page: Page, ids: list[str], language: str) -> Markup:
    """Links to the actors a reply records, listed as the site's language lists them."""
    marks = [f"\ue000{index}\ue001" for index in range(len(ids))]  # private-use marks, later each actor's link
    listed = escape(_listed(marks, language))
    for mark, actor in zip(marks, ids, strict=True):
        listed = Markup(listed.replace(mark, page.link(actor)))
    return listed


def _capitalised(markup: Markup) -> Markup:
    """A clause that opens the entry, starting with a capital where it starts with a letter (not a tag)."""
    text = str(markup)
    return Markup(text[:1].upper() + text[1:]) if text[:1].isalpha() else markup


def _ending(markup: Markup, language: str) -> str:
    """The full stop that ends a sentence, unless a quotation at its end has one inside its closing marks
    (“The trip was private.”); one after the marks otherwise (“no comment”.)."""
    return full_stop(markup.striptags().rstrip().rstrip(_CLOSING), language)
