"""What ``site.yaml`` and the dossiers may say about languages, currencies and labels, checked at load time.

Money, numbers and dates are shown the way readers of the site's ``language`` write them, and what Babel
formats must be known to it: ``currency:`` and ``language:`` are checked with the code the writer most likely
meant, and a label ``site.yaml`` rewrites must be one the interface shows, with its placeholders kept.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic_core import PydanticCustomError

from casefile.diagnostics import did_you_mean
from casefile.messages import babel_locale, messages


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


def check_language(value: str) -> str:
    """``language:`` is a language tag Babel knows (``en``, ``my``, ``en-GB``): numbers are formatted for it."""
    from babel import UnknownLocaleError

    try:
        babel_locale(value)
    except (UnknownLocaleError, ValueError):
        raise PydanticCustomError(
            "language", "'{value}' is not a known language tag", {"value": value, "hint": "write e.g. en, my or ru"}
        ) from None
    return value


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
