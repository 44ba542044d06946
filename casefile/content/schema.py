"""JSON Schemas for editors, generated from the models the build validates with, never copied by hand.

VS Code's YAML extension (and any editor speaking the YAML language server) reads them to complete
field names and underline a typo while the journalist types; the build stays the judge.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

from pydantic import BaseModel

from casefile.content.config import SiteConfig
from casefile.content.model import DOSSIER_TYPES
from casefile.diagnostics import ContentError, Location

FOLDER = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict]:
    """File name → schema: one per dossier kind, and one for site.yaml."""
    models: dict[str, type[BaseModel]] = {cls.type: cls for cls in DOSSIER_TYPES.values()}
    return {f"{name}.schema.json": _schema(model, name) for name, model in (models | {"site": SiteConfig}).items()}


def _schema(model: type[BaseModel], name: str) -> dict:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    described = f"A Casefile {name} dossier" if name != "site" else "A Casefile site.yaml"
    return {"$schema": DIALECT, "title": schema.pop("title"), "description": described, **schema}


def write_schemas(site: Path) -> list[Path]:
    """Write every schema under ``site/schemas``; the files written. Never through a link: one planted in the
    folder would have the schemas written over files elsewhere on the computer."""
    target = site / FOLDER
    written = []
    try:
        if target.is_symlink():
            raise OSError(errno.ELOOP, "a link")
        target.mkdir(exist_ok=True)
        for name, schema in schemas().items():
            target = site / FOLDER / name
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
            written.append(target)
    except OSError as exc:
        raise _not_written(exc, target) from None
    return written


def _not_written(exc: OSError, where: Path) -> ContentError:
    if exc.errno == errno.ELOOP:
        message, hint = f"'{where.name}' is a link: the schemas are never written through one", "delete the link"
    else:
        message, hint = f"the schemas could not be written: {exc.strerror or exc}", "check you may write here"
    return ContentError(Location(where), message, hint)


def modeline(dossier_type: str) -> str:
    """The first line of a scaffolded dossier in ``content/<section>/``, pointing its editor at the schema."""
    return f"# yaml-language-server: $schema=../../{FOLDER}/{dossier_type}.schema.json\n"
