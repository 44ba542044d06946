"""Every value of a dossier with its YAML path: the ids it points at and the sources it cites, found once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import (
    BaseModel,
)

from casefile.content.model.facts import SourceRef
from casefile.content.model.fields import RefTo, Translatable, YamlPath

# the ids a dossier points at, the sources it cites, and where its texts are that an edition may translate
Pointers = tuple[list[tuple[YamlPath, str, RefTo]], list[tuple[YamlPath, SourceRef]], list[YamlPath]]
Marker = RefTo | Translatable | None


def _ref_marker(annotation: Any) -> Marker:
    """The RefTo or Translatable inside an annotation, looking through Optional and list."""
    if get_origin(annotation) is Annotated:
        found = next((m for m in annotation.__metadata__ if isinstance(m, RefTo | Translatable)), None)
        return found or _ref_marker(get_args(annotation)[0])
    for arg in get_args(annotation):
        if arg is not type(None) and (found := _ref_marker(arg)):
            return found
    return None


@cache
def _fields(model: type[BaseModel]) -> list[tuple[str, str, Marker]]:
    """(attribute, YAML key, marker) of a model's fields, worked out once per class: walk runs per value."""
    return [
        (
            name,
            info.alias or name,
            next((m for m in info.metadata if isinstance(m, RefTo | Translatable)), None)
            or _ref_marker(info.annotation),
        )
        for name, info in model.model_fields.items()
        if not info.exclude
    ]


def walk(
    obj: Any, path: YamlPath = (), descend: Callable[[BaseModel], bool] = lambda model: True
) -> Iterator[tuple[YamlPath, Any, Marker]]:
    """Every value inside ``obj`` (not ``obj`` itself) with its YAML path and, for an id field, its RefTo (for a
    translatable text, Translatable); models for which ``descend`` is false are yielded but not looked into."""
    if isinstance(obj, BaseModel):
        children: Iterator[tuple[YamlPath, Any, Marker]] = (
            (path + (key,), getattr(obj, name), marker) for name, key, marker in _fields(type(obj))
        )
    elif isinstance(obj, list):
        children = ((path + (key,), item, None) for key, item in enumerate(obj))
    elif isinstance(obj, dict):
        children = ((path + (key,), item, None) for key, item in obj.items())
    else:
        return
    for child in children:
        yield child
        value = child[1]
        if (
            isinstance(value, BaseModel)
            and descend(value)
            or isinstance(value, list | dict)
            and value
            and not isinstance(child[2], Translatable)
        ):
            yield from walk(value, child[0], descend)


def references(obj: Any) -> Iterator[tuple[YamlPath, str, RefTo]]:
    """Every dossier id ``obj`` refers to, with its YAML path and expected kinds."""
    return iter(_pointers(obj)[0])


def source_refs(obj: Any) -> Iterator[tuple[YamlPath, SourceRef]]:
    """Every citation in ``obj`` with its YAML path, in document order."""
    return iter(_pointers(obj)[1])


def _pointers(obj: Any) -> Pointers:
    """A dossier's own pointers, found when it was made; any other value's, found now."""
    found = getattr(obj, "_pointers", None)
    return found if found is not None else find_pointers(obj)


def find_pointers(obj: Any) -> Pointers:
    """The ids, the citations and the texts in ``obj``, from one walk; a dossier keeps its own, as resolving,
    lint, the bibliography and each edition ask for them (walking every dossier five times took seconds at 10,000)."""
    ids: list[tuple[YamlPath, str, RefTo]] = []
    citations: list[tuple[YamlPath, SourceRef]] = []
    texts: list[YamlPath] = []
    for path, value, marker in walk(obj):
        if isinstance(marker, Translatable):
            if value is not None:
                texts.append(path)
        elif marker and isinstance(value, str):
            ids.append((path, value, marker))
        elif marker and isinstance(value, list):
            ids.extend((path + (i,), v, marker) for i, v in enumerate(value) if isinstance(v, str))
        if isinstance(value, SourceRef):
            citations.append((path, value))
    return ids, citations, texts


def texts(obj: Any) -> list[YamlPath]:
    """Where the texts an edition may translate are in ``obj`` (a summary, a claim's text, a caption…)."""
    return _pointers(obj)[2]
