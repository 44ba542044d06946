"""Validate YAML data against the typed model, in words a journalist reads.

Pydantic does the checking; this module turns each of its errors into a
:class:`ContentError` at the YAML line and column, with a hint (did-you-mean
for a mistyped field or choice).
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from casefile.content.yamlio import YamlDocument, YamlPath
from casefile.diagnostics import ContentError, did_you_mean

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping (indented `key: value` lines)",
    "model_type": "a mapping (indented `key: value` lines)",
    "model_attributes_type": "a mapping (indented `key: value` lines)",
}


def validate(
    model: type[M], doc: YamlDocument, extra: dict[str, Any] | None = None
) -> tuple[M | None, list[ContentError]]:
    """The model built from ``doc.data`` plus ``extra``, or the problems found."""
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        return None, [
            ContentError(
                doc.location(()),
                f"expected `key: value` lines, found {_describe(data)}",
                "a dossier is a mapping such as `name: …` on its own line",
            )
        ]
    try:
        return model.model_validate({**data, **(extra or {})}), []
    except ValidationError as exc:
        return None, [_translate(error, model, doc) for error in exc.errors()]


def _translate(error: Any, model: type[BaseModel], doc: YamlDocument) -> ContentError:
    loc = tuple(error["loc"])
    kind = error["type"]
    path = _yaml_path(loc, doc)
    field = next((str(p) for p in reversed(loc) if isinstance(p, str) and p != "[key]"), "")
    value = error.get("input")
    if kind == "missing":
        return ContentError(doc.location(path), f"missing required field '{field}'", f"add a line `{field}: …` here")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(field, allowed) or ("fields allowed here: " + ", ".join(sorted(allowed)) if allowed else "")
        return ContentError(doc.location(path, at_key=True), f"unknown field '{field}'", hint)
    if kind == "literal_error":
        choices = [str(c) for c in _literal_choices(model, loc)]
        at_key = "[key]" in loc
        hint = did_you_mean(str(value), choices) or "choose one of the values listed"
        if isinstance(value, list | dict):  # `kind: [article]`: one value is meant
            hint = "write one of the values listed on its own, without brackets"
        message = f"expected one of: {', '.join(choices)} — but got {_describe(value)}"
        return ContentError(doc.location(path, at_key=at_key), message, hint)
    if kind == "blank" or (kind in _TYPE_NAMES and value is None):
        optional = ", or remove the line" if kind == "blank" and _optional(model, loc) else ""
        return ContentError(doc.location(path), f"'{field}' is empty", f"write the value after `{field}:`{optional}")
    if kind in _TYPE_NAMES:
        return ContentError(
            doc.location(path), f"'{field}' should be {_TYPE_NAMES[kind]}, not {_describe(value)}", _type_hint(kind)
        )
    hint = (error.get("ctx") or {}).get("hint", "")  # a check that knows what was meant says so
    if kind in ("url_scheme", "url_host"):
        hint = "copy the full address from the browser, starting with https://"
    elif kind == "slug":
        hint = "ids look like min-aung-hlaing: lowercase, digits, hyphens"
    elif kind in ("greater_than", "less_than_equal"):
        hint = "write a number within those bounds"
    elif kind.startswith("date"):
        hint = "dates are ISO 8601: 2021, 2021-06, 2021-06-13 or 2021-06-13/2021-06-19"
    return ContentError(doc.location(path), _sentence(error["msg"]), hint)


def _yaml_path(loc: tuple, doc: YamlDocument) -> YamlPath:
    """The part of pydantic's ``loc`` that names places in the YAML."""
    path: list[Any] = []
    for part in loc:
        if part == "[key]":
            continue
        candidate = tuple(path) + (part,)
        if candidate in doc.value_marks or candidate in doc.key_marks:
            path.append(part)
    return tuple(path)


def _sentence(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def _type_hint(kind: str) -> str:
    if kind == "list_type":
        return "write each entry on its own line starting with '- ', or [a, b]"
    if kind == "string_type":
        return "put quotes around the value if it is meant as text"
    if kind.startswith(("int", "float")):
        return "write the number without quotes or words, e.g. 3"
    if kind.startswith("bool"):
        return "write true or false"
    return "indent the lines below this key to make a mapping"


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    return f"'{value}'"


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``list[X]``, ``X | None``, ``Annotated[X, …]`` or ``dict[K, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in reversed(get_args(annotation)):
        if found := _unwrap_model(arg):
            return found
    return None


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, str) and part != "[key]":
            field = _field_named(current, part)
            if field is not None:
                current = _unwrap_model(field.annotation)
    return current


def _field_named(model: type[BaseModel], name: str) -> FieldInfo | None:
    """The field of ``model`` written ``name`` in YAML: its alias, else its name."""
    return next((info for key, info in model.model_fields.items() if (info.alias or key) == name), None)


def _field_at(model: type[BaseModel], loc: tuple) -> FieldInfo | None:
    """The field that holds the value at ``loc``: its last named part, where a list index or a mapping's key
    may follow (``("dates", "signd", "[key]")``: the key 'signd' of the field 'dates')."""
    keys = {i - 1 for i, part in enumerate(loc) if part == "[key]"}  # "[key]" follows the key it is about
    named = [i for i, part in enumerate(loc) if isinstance(part, str) and part != "[key]" and i not in keys]
    owner = _model_at(model, loc[: named[-1]]) if named else None
    return None if owner is None else _field_named(owner, loc[named[-1]])


def _optional(model: type[BaseModel], loc: tuple) -> bool:
    """Whether the field at ``loc`` may be left out."""
    info = _field_at(model, loc)
    return info is not None and not info.is_required()


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    target = _model_at(model, loc)
    if target is None:
        return []
    return [info.alias or name for name, info in target.model_fields.items() if not info.exclude]


def _literal_choices(model: type[BaseModel], loc: tuple) -> list[Any]:
    """The allowed values of the Literal field (or dict key) at ``loc``."""
    info = _field_at(model, loc)
    return _find_literal(info.annotation) if info else []


def _find_literal(annotation: Any) -> list[Any]:
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    for arg in get_args(annotation):
        if found := _find_literal(arg):
            return found
    return []
