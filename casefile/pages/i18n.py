"""The site's language: interface labels, dates, numbers and money, through Babel and gettext.

Labels come from the catalogs in ``casefile/locale`` (English is the msgid itself);
site.yaml may override any of them. Money, numbers and dates are shown the way readers
of the site's ``language`` write them, and what Babel formats must be known to it, so
``currency:`` and ``language:`` are checked at load time with the code the writer most
likely meant.
"""

from __future__ import annotations

import gettext
import io
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from casefile.content.dates import FuzzyDate
from casefile.diagnostics import did_you_mean

if TYPE_CHECKING:
    from babel import Locale


@cache
def _currencies() -> frozenset[str]:
    """The ISO 4217 codes Babel knows; Babel is loaded on first use, so ``--help`` and ``new`` stay quick."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@cache
def _currency_words() -> dict[str, str]:
    """What people write for a currency instead of its code (``€``, ``$``, ``euro``, ``US dollars``), lowercased."""
    from babel import Locale
    from babel.numbers import get_currency_name

    english = Locale("en")
    words: dict[str, str] = {}
    for code in sorted(_currencies()):
        for word in (english.currency_symbols.get(code), english.currencies.get(code), get_currency_name(code, 2)):
            if word:
                words.setdefault(word.lower(), code)
    return words


def check_currency(value: str) -> str:
    """``currency:`` must be an ISO 4217 code such as USD: a symbol or a name is ambiguous across countries."""
    currencies = _currencies()
    if value in currencies:
        return value
    meant = value.upper() if value.upper() in currencies else _currency_words().get(value.strip().lower())
    if meant:
        hint = f"use the ISO 4217 code, e.g. {meant}"
    else:  # only three letters look like a mistyped code ("DOLLARS" is not "ARS"); swapped letters first
        swapped = [code for code in currencies if sorted(code) == sorted(value.upper())]
        typo = did_you_mean(value.upper(), swapped or currencies) if len(value) == 3 else ""
        hint = typo or "use the three-letter ISO 4217 code, e.g. USD, EUR or RUB"
    raise PydanticCustomError("currency", "'{value}' is not an ISO 4217 currency code", {"value": value, "hint": hint})


@cache
def _locale(language: str) -> Locale:
    from babel import Locale

    return Locale.parse(language.replace("-", "_"))


def check_language(value: str) -> str:
    """``language:`` is a language tag Babel knows (``en``, ``my``, ``en-GB``): numbers are formatted for it."""
    from babel import UnknownLocaleError

    try:
        _locale(value)
    except (UnknownLocaleError, ValueError):
        raise PydanticCustomError(
            "language", "'{value}' is not a known language tag", {"value": value, "hint": "write e.g. en, my or ru"}
        ) from None
    return value


def money(amount: float, currency: str | None, language: str) -> str:
    """``1500000, 'USD', 'en'`` → ``$1,500,000.00``; without a currency, the number alone."""
    from babel.numbers import format_currency, format_decimal

    if currency is None:
        return native_digits(format_decimal(amount, locale=_locale(language)), language)
    return native_digits(format_currency(amount, currency, locale=_locale(language)), language)


# --------------------------------------------------------------------------------------------
# Interface labels: gettext catalogs in casefile/locale/<lang>/LC_MESSAGES/casefile.po
# --------------------------------------------------------------------------------------------

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "casefile"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention that `pybabel extract` looks for
    """Marks a label for the catalogs where it is defined; it is translated where it is shown."""
    return message


@cache
def _catalog(language: str) -> gettext.NullTranslations:
    """The shipped catalog for ``language`` (``ru-RU`` uses ``ru``), compiled in memory; English has none."""
    from babel.messages.mofile import write_mo  # only a build needs them: `--help` stays quick
    from babel.messages.pofile import read_po

    locale = _locale(language)
    for name in dict.fromkeys((str(locale), locale.language)):
        po = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            with po.open("rb") as file:
                catalog = read_po(file, locale=name, domain=DOMAIN)
            compiled = io.BytesIO()
            write_mo(compiled, catalog)
            compiled.seek(0)
            return gettext.GNUTranslations(compiled)
    return gettext.NullTranslations()


class Labels(gettext.NullTranslations):
    """The catalog of the site's language, with the labels site.yaml overrides taking precedence."""

    def __init__(self, language: str, overrides: dict[str, str]) -> None:
        super().__init__()
        self.overrides = overrides
        self.add_fallback(_catalog(language))

    def gettext(self, message: str) -> str:
        return self.overrides.get(message) or super().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        chosen = singular if n == 1 else plural
        return self.overrides.get(chosen) or super().ngettext(singular, plural, n)


@cache
def messages() -> frozenset[str]:
    """Every label the interface shows (the msgids of the English template), which site.yaml may override."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as file:
        return frozenset(message.id for message in read_po(file) if isinstance(message.id, str) and message.id)


def check_label(value: str) -> str:
    """A ``labels:`` key in site.yaml is a label the interface shows, written in English as the templates do."""
    if value in messages():
        return value
    hint = did_you_mean(value, messages()) or "write the label in English, as the English site shows it, e.g. Actors"
    raise PydanticCustomError("label", "'{value}' is not a label of the interface", {"value": value, "hint": hint})


_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z]+\}")


def check_overrides(overrides: dict[str, str]) -> dict[str, str]:
    """A rewritten label keeps its placeholders (``%(name)s``, ``{count}``), and has markup only where it had some."""
    for label, text in overrides.items():
        wanted, given = set(_PLACEHOLDER.findall(label)), set(_PLACEHOLDER.findall(text))
        if given != wanted or "%" in _PLACEHOLDER.sub("", text):
            shown = ", ".join(sorted(wanted)) or "none"
            raise PydanticCustomError(
                "label_placeholders",
                "the label '{label}' is given as '{text}', which changes its placeholders",
                {"label": label, "text": text, "hint": f"keep exactly these placeholders: {shown}; and no other %"},
            )
        if "<" in text and "<" not in label:  # labels are shown as they are: markup would reach the page
            raise PydanticCustomError(
                "label_markup", "the label '{label}' contains <", {"label": label, "hint": "labels are plain text"}
            )
    return overrides


def direction(language: str) -> str:
    """``rtl`` for a language written right to left (Arabic, Hebrew, Persian…), else ``ltr``."""
    return "rtl" if _locale(language).character_order == "right-to-left" else "ltr"


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
    script = _DIGITS.get(_locale(language).default_numbering_system)
    if script is None:
        return {}
    zero = ord(unicodedata.lookup(f"{script} DIGIT ZERO"))
    return {ord("0") + n: chr(zero + n) for n in range(10)}


def native_digits(text: str, language: str) -> str:
    return text.translate(_digit_table(language))


def _is_english(language: str) -> bool:
    return _locale(language).language == "en"


@cache  # a site has few distinct dates, each shown on many pages
def format_date(date: FuzzyDate, language: str) -> str:
    """``2021-06`` → "June 2021" / "၂၀၂၁ ဇွန်": the precision written, in the reader's language.

    English keeps the house style ("13–19 June 2021"); other languages get Babel's (CLDR's) forms.
    """
    if _is_english(language):
        return str(date)
    from babel.dates import format_date as babel_date
    from babel.dates import format_interval, format_skeleton

    locale = _locale(language)
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

    return native_digits(format_decimal(value, locale=_locale(language)), language)


@cache
def _labels(language: str, overrides: tuple[tuple[str, str], ...]) -> Labels:
    return Labels(language, dict(overrides))


def labels(language: str, overrides: dict[str, str]) -> Labels:
    """The labels of a site (one object per language and overrides, shared by every page)."""
    return _labels(language, tuple(sorted(overrides.items())))


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


# Each section's title, as navigation, search filters and the Data page name it (msgids).
SECTION_TITLES = {
    "actors": N_("Actors"),
    "deals": N_("Deals"),
    "events": N_("Events"),
    "sources": N_("Sources"),
    "pages": N_("Pages"),
}


def kind_label(kind: str) -> str:
    """``military-unit`` → ``Military unit``: the English label, which is also the catalogs' msgid."""
    return kind.replace("-", " ").capitalize()
