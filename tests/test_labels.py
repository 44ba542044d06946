"""Interface labels translated when a template is compiled (casefile.pages.labels) read exactly as Jinja's own
i18n extension gives them at run time, whatever the label holds, and never outlive the translations they came from.
"""

from __future__ import annotations

import gettext

import pytest
from jinja2 import DictLoader, Environment

from casefile.pages.labels import FoldedLabels

TEMPLATE = """\
<h1>{{ _("Sources") }}</h1>
<p title="{{ _("Skip") }}">{% trans %}Every statement is footnoted{% endtrans %}</p>
<p>{{ _("Cut by 100%% of %(what)s", what=what) }} {{ _("Q&A") }} {{ _("Plain <em>") | upper }}</p>
<p>{% trans count=n %}{{ count }} source{% pluralize %}{{ count }} sources{% endtrans %} {{ m._("Sources") }}</p>
"""


class Catalog(gettext.NullTranslations):
    """Labels as a catalog and site.yaml give them: translations with markup, ampersands and percent signs."""

    def __init__(self, labels: dict[str, str]) -> None:
        super().__init__()
        self.labels = labels

    def gettext(self, message: str) -> str:
        return self.labels.get(message, message)


RUSSIAN = Catalog(
    {
        "Sources": "Источники",
        "Skip": 'К "содержанию" & дальше',
        "Every statement is footnoted": "Каждое утверждение — со сноской, 100%%",
        "Q&A": "Вопросы & ответы <b>",
        "Plain <em>": "Просто <em>",
    }
)


def _environment(extension: object, templates: dict[str, str]) -> Environment:
    env = Environment(loader=DictLoader(templates), autoescape=True, extensions=[extension])  # type: ignore[list-item]
    env.policies["ext.i18n.trimmed"] = True
    return env


def _render(extension: object, catalog: Catalog, templates: dict[str, str]) -> str:
    env = _environment(extension, templates)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    return _page(env)


def _page(env: Environment) -> str:
    return env.get_template("page.html").render(what="<arms>", n=3, m={"_": lambda text: f"attribute {text}"})


def test_folded_labels_read_as_jinja_translates_them_at_run_time() -> None:
    folded = _render(FoldedLabels, RUSSIAN, {"page.html": TEMPLATE})
    assert folded == _render("jinja2.ext.i18n", RUSSIAN, {"page.html": TEMPLATE})
    assert "<h1>Источники</h1>" in folded
    assert 'title="К "содержанию" & дальше"' in folded  # a label is markup, in an attribute too, as with Jinja's
    assert "со сноской, 100%</p>" in folded  # "%%" is a per cent sign


@pytest.mark.parametrize(
    ("own", "shown"),
    [
        ('{% set _ = m._ %}{{ _("Sources") }}', "attribute Sources"),
        ('{% macro _(text) %}own {{ text }}{% endmacro %}{{ _("Sources") }}', "own Sources"),
    ],
)
def test_a_template_that_calls_something_else_underscore_keeps_it(own: str, shown: str) -> None:
    """A site's own template that makes ``_`` its own shows what it made, not a translation."""
    assert _render(FoldedLabels, RUSSIAN, {"page.html": own}) == _render("jinja2.ext.i18n", RUSSIAN, {"page.html": own})
    assert _render(FoldedLabels, RUSSIAN, {"page.html": own}) == shown


def test_a_label_jinja_cannot_format_fails_as_it_would_at_run_time() -> None:
    broken = {"page.html": '{{ _("%(missing)s left") }}'}
    with pytest.raises(KeyError):
        _render("jinja2.ext.i18n", RUSSIAN, broken)
    with pytest.raises(KeyError):
        _render(FoldedLabels, RUSSIAN, broken)


def test_labels_installed_later_replace_those_in_templates_compiled_before() -> None:
    env = _environment(FoldedLabels, {"page.html": TEMPLATE})
    env.install_gettext_translations(RUSSIAN, newstyle=True)  # type: ignore[attr-defined]
    assert "<h1>Источники</h1>" in _page(env)
    env.install_gettext_translations(Catalog({"Sources": "Sources cited"}), newstyle=True)  # type: ignore[attr-defined]
    assert "<h1>Sources cited</h1>" in _page(env)
