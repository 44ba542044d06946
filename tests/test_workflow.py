"""The GitHub Pages workflow: the official actions, the permissions Pages needs, the
strict check before publishing, and the dotfiles kept in the uploaded site."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import yaml
from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(workflow) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"{action} is used {len(found)} times"
    return found[0]


def test_runs_on_push_to_main_and_by_hand(workflow: dict[str, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_has_the_permissions_pages_needs_and_no_more(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_uses_the_official_actions(workflow: dict[str, Any]) -> None:
    used = [s["uses"].split("@")[0] for s in steps(workflow) if "uses" in s]
    assert used == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert all("@v" in s["uses"] for s in steps(workflow) if "uses" in s), "pin each action to a major version"


def test_sets_up_python_with_the_pip_cache(workflow: dict[str, Any]) -> None:
    setup = step_using(workflow, "actions/setup-python")["with"]
    assert str(setup["python-version"]) == "3.11"
    assert setup["cache"] == "pip" and setup["cache-dependency-path"] == "requirements.txt"


def test_installs_checks_strictly_then_builds_for_the_pages_address(workflow: dict[str, Any]) -> None:
    commands = [s["run"] for s in steps(workflow) if "run" in s]
    assert commands[0] == "bash scripts/setup.sh"  # as the README says
    assert commands[1] == ".venv/bin/python build.py check --strict"
    build = commands[2]
    assert build.startswith(".venv/bin/python build.py") and "check" not in build
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    assert step_using(workflow, "actions/configure-pages")["id"] == "pages"


def test_uploads_output_with_its_dotfiles(workflow: dict[str, Any]) -> None:
    upload = step_using(workflow, "actions/upload-pages-artifact")["with"]
    assert upload["path"] == "output"
    assert upload["include-hidden-files"] is True  # .nojekyll


def test_deploys_after_the_build_to_the_pages_environment(workflow: dict[str, Any]) -> None:
    deploy = next(
        job for job in workflow["jobs"].values() if any("deploy-pages" in s.get("uses", "") for s in job["steps"])
    )
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    deployment_id = step_using(workflow, "actions/deploy-pages")["id"]
    assert deploy["environment"]["url"] == f"${{{{ steps.{deployment_id}.outputs.page_url }}}}"


def test_the_example_passes_the_workflows_strict_check() -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "check", "--strict"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
