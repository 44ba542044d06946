"""Every page of the example site is valid HTML by the Nu HTML Checker (the W3C validator).

scripts/test.sh installs it (npm ``vnu-jar``, pinned in package.json) and Java. The checker is
run once on the whole built site: the JVM's start-up is most of its time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, run_build

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def validation_errors(folder: Path) -> list[str]:
    """The checker's errors for every HTML page under ``folder``, as ``page:line: message``."""
    assert shutil.which("java"), "Java is missing: run scripts/test.sh (it installs openjdk-17-jre-headless)"
    assert VNU.is_file(), "the Nu HTML Checker is missing: run `npm ci` (scripts/test.sh does)"
    command = ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", "--stdout"]
    result = subprocess.run([*command, str(folder)], capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stdout)["messages"]
    return [f"{m['url'].split(str(folder))[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]


def test_example_site_has_no_html_errors(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = run_build(ROOT, out=out)
    assert result.returncode == 0, result.stderr
    assert len(list(out.rglob("*.html"))) > 50
    errors = validation_errors(out)
    assert errors == [], "\n".join(errors)
