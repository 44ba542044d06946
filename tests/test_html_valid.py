"""Every page of the example site is valid HTML by the Nu HTML Checker (the W3C validator).

scripts/test.sh installs it (npm ``vnu-jar``, pinned in package.json) and Java. The checker is
run once on the whole built site: the JVM's start-up is most of its time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, example_only, make_site, run_build
from test_text import FILES as NAMES_IN_MANY_SCRIPTS

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def validation_errors(*folders: Path) -> list[str]:
    """The checker's errors for every HTML page under ``folders``, as ``page:line: message``."""
    assert shutil.which("java"), "Java is missing: run scripts/test.sh (it installs openjdk-17-jre-headless)"
    assert VNU.is_file(), "the Nu HTML Checker is missing: run `npm ci` (scripts/test.sh does)"
    command = ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json", "--stdout"]
    result = subprocess.run([*command, *map(str, folders)], capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stdout)["messages"]
    return [f"{m['url']}:{m.get('lastLine', '?')}: {m['message']}" for m in messages]


@example_only
def test_example_site_has_no_html_errors(tmp_path: Path) -> None:
    """The example, and a site whose names mix scripts and direction controls (isolated with bdi, dir)."""
    example, scripts = tmp_path / "example", make_site(tmp_path / "scripts", NAMES_IN_MANY_SCRIPTS)
    for site, out in ((ROOT, example), (scripts, scripts / "output")):
        result = run_build(site, out=out)
        assert result.returncode == 0, result.stderr
    assert len(list(example.rglob("*.html"))) > 50
    errors = validation_errors(example, scripts / "output")
    assert errors == [], "\n".join(errors)
