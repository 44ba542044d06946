"""JSON Schemas for editors, generated from the models the build validates with, never copied by hand.

VS Code's YAML extension (and any editor speaking the YAML language server) reads them to complete
field names and underline a typo while the journalist types; the build stays the judge.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .config import SiteConfig
from .model import DOSSIER_TYPES

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
    """Write every schema under ``site/schemas``; the files written."""
    folder = site / FOLDER
    folder.mkdir(exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def modeline(dossier_type: str) -> str:
    """The first line of a scaffolded dossier in ``content/<section>/``, pointing its editor at the schema."""
    return f"# yaml-language-server: $schema=../../{FOLDER}/{dossier_type}.schema.json\n"
