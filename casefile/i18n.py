"""Formatting for the page language, through Babel: the one module that talks to it.

Money is shown the way readers of the site's ``language`` write it, and what Babel
formats must be known to it, so ``currency:`` and ``language:`` are checked at load
time with the code the writer most likely meant.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from .diagnostics import did_you_mean

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
        return format_decimal(amount, locale=_locale(language))
    return format_currency(amount, currency, locale=_locale(language))
