"""The site's language: interface labels, dates, numbers and money, through Babel and gettext.

Labels come from the catalogs in ``casefile/locale`` (English is the msgid itself);
site.yaml may override any of them. Money, numbers and dates are shown the way readers
of the site's ``language`` write them, and what Babel formats must be known to it, so
``currency:`` and ``language:`` are checked at load time with the code the writer most
likely meant.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from casefile.content.config import SiteConfig
from casefile.content.dates import FuzzyDate
from casefile.messages import babel_locale, catalog

if TYPE_CHECKING:
    pass


def money(amount: float, currency: str | None, language: str) -> str:
    """``1500000, 'USD', 'en'`` → ``$1,500,000.00``; without a currency, the number alone."""
    from babel.numbers import format_currency, format_decimal

    if currency is None:
        return native_digits(format_decimal(amount, locale=babel_locale(language)), language)
    return native_digits(format_currency(amount, currency, locale=babel_locale(language)), language)


class Labels(gettext.NullTranslations):
    """The catalog of the site's language, with the labels site.yaml overrides taking precedence."""

    def __init__(self, language: str, overrides: dict[str, str]) -> None:
        super().__init__()
        self.overrides = overrides
        self.add_fallback(catalog(language))

    def gettext(self, message: str) -> str:
        return self.overrides.get(message) or super().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        chosen = singular if n == 1 else plural
        return self.overrides.get(chosen) or super().ngettext(singular, plural, n)


def direction(language: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian…), else ``ltr``."""
    return "rtl" if babel_locale(language).character_order == "right-to-left" else "ltr"


# --------------------------------------------------------------------------------------------
# Dates and numbers
# --------------------------------------------------------------------------------------------

_SKELETONS = {"year": "y", "month": "yMMMM"}  # the precision written is the precision shown; a day: the long form
_INTERVAL_SKELETONS = {"year": "y", "month": "yMMMM", "day": "yMMMd"}
# CLDR numbering systems that locales default to, by the Unicode name of their digits
_DIGITS = {
    "arab": "ARABIC-INDIC",
    "arabext": "EXTENDED ARABIC-INDIC",
    "beng": "BENGALI",
    "deva": "DEVANAGARI",
    "mymr": "MYANMAR",
    "tibt": "TIBETAN",
    "olck": "OL CHIKI",
    "cakm": "CHAKMA",
    "adlm": "ADLAM",
    "nkoo": "NKO",
    "mtei": "MEETEI MAYEK",
    "hmnp": "NYIAKENG PUACHUE HMONG",
}


@cache
def _digit_table(language: str) -> dict[int, str]:
    """0–9 → the locale's own digits (Burmese ၀–၉), which Babel does not substitute itself."""
    script = _DIGITS.get(babel_locale(language).default_numbering_system)
    if script is None:
        return {}
    zero = ord(unicodedata.lookup(f"{script} DIGIT ZERO"))
    return {ord("0") + n: chr(zero + n) for n in range(10)}


def native_digits(text: str, language: str) -> str:
    return text.translate(_digit_table(language))


def _is_english(language: str) -> bool:
    return babel_locale(language).language == "en"


@cache  # a site has few distinct dates, each shown on many pages
def format_date(date: FuzzyDate, language: str) -> str:
    """``2021-06`` → "June 2021" / "၂၀၂၁ ဇွန်": the precision written, in the reader's language.

    English keeps the house style ("13–19 June 2021"); other languages get Babel's (CLDR's) forms.
    """
    if _is_english(language):
        return str(date)
    from babel.dates import format_date as babel_date
    from babel.dates import format_interval, format_skeleton

    locale = babel_locale(language)
    start, end = date.start, date.end
    if (end is None or end == start) and start.precision == "day":
        text = babel_date(start.as_date, "long", locale=locale)
    elif end is None or end == start:
        text = format_skeleton(_SKELETONS[start.precision], start.as_date, locale=locale)
    elif start.precision == end.precision:
        text = format_interval(start.as_date, end.as_date, _INTERVAL_SKELETONS[start.precision], locale=locale)
    else:
        text = f"{format_date(FuzzyDate(start), language)} – {format_date(FuzzyDate(end), language)}"
    return native_digits(text, language)


def format_number(value: float | str, language: str) -> str:
    """A count or quantity in the locale's digits and grouping; text (``"about 20"``) is shown as written."""
    if isinstance(value, str) or _is_english(language):
        return str(value)
    from babel.numbers import format_decimal

    return native_digits(format_decimal(value, locale=babel_locale(language)), language)


@cache
def _labels(language: str, overrides: tuple[tuple[str, str], ...]) -> Labels:
    return Labels(language, dict(overrides))


def labels(language: str, overrides: dict[str, str]) -> Labels:
    """The labels of a site (one object per language and overrides, shared by every page)."""
    return _labels(language, tuple(sorted(overrides.items())))


def site_labels(config: SiteConfig) -> Labels:
    """The interface labels in the site's language, with its own overrides."""
    return labels(config.language, config.labels)


def extract_vocabulary(fileobj: object, keywords: object, comment_tags: object, options: object) -> Iterator:
    """A ``pybabel extract`` method for model.py: the kinds, roles and date words that pages show.

    They are the model's own values, so the catalogs follow the model without a second list of them.
    """
    from casefile.content import model

    words = [kind_label(kind) for kind in model.ACTOR_KINDS + model.DEAL_KINDS + model.EVENT_KINDS]
    words += [kind_label(kind) for kind in model.SOURCE_KINDS]
    words += [*model.PARTY_ROLES, *model.DEAL_DATE_KINDS]
    words += [cls.type for cls in (*model.DOSSIER_TYPES.values(), model.Page)]
    words += [f"{precision}{kind}" for kind in ("", " range") for precision in ("day", "month", "year")]
    for word in dict.fromkeys(words):
        yield 1, "gettext", word, []


def kind_label(kind: str) -> str:
    """``military-unit`` → ``Military unit``: the English label, which is also the catalogs' msgid."""
    return kind.replace("-", " ").capitalize()


# The mark that ends a sentence, where it is not the Latin full stop; a date or an abbreviation may end in one.
_FULL_STOPS = {"my": "။", "hi": "।", "bn": "।", "zh": "。", "ja": "。", "am": "።", "hy": "։", "bo": "།"}
_ENDINGS = (".", "!", "?", "…", *_FULL_STOPS.values())


def full_stop(text: str, language: str) -> str:
    """What ends the sentence ``text`` in ``language``: its full stop, or nothing where one ends it already."""
    if text.rstrip().endswith(_ENDINGS):
        return ""
    return _FULL_STOPS.get(babel_locale(language).language, ".")


def language_name(code: str, language: str) -> str:
    """A source's language as the site's readers name it ("English", "английский"), or the code Babel does not know."""
    from babel import UnknownLocaleError

    try:
        name = babel_locale(code).get_display_name(babel_locale(language))
    except (UnknownLocaleError, ValueError):
        return code
    return name or code
