"""The interface's labels as gettext messages: the catalogs in ``casefile/locale``, and the marker for a label.

Below every stage: the model marks its kinds for translation, ``site.yaml``'s checks read the template of
every label, and the pages translate them. Babel is loaded on first use, so ``--help`` and ``new`` stay quick.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "casefile"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention that `pybabel extract` looks for
    """Marks a label for the catalogs where it is defined; it is translated where it is shown."""
    return message


@cache
def babel_locale(language: str) -> Locale:
    from babel import Locale

    return Locale.parse(language.replace("-", "_"))


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The shipped catalog for ``language`` (``ru-RU`` uses ``ru``), compiled in memory; English has none."""
    from babel.messages.mofile import write_mo  # only a build needs them: `--help` stays quick
    from babel.messages.pofile import read_po

    locale = babel_locale(language)
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


@cache
def messages() -> frozenset[str]:
    """Every label the interface shows (the msgids of the English template), which site.yaml may override."""
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as file:
        return frozenset(message.id for message in read_po(file) if isinstance(message.id, str) and message.id)
