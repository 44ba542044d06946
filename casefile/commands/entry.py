"""The ``casefile`` command and ``python build.py``: one start for both.

Only the standard library is imported before the signal handler is in place and the dependencies are known
to be there, so that an early Ctrl-C is one line and a missing package is a sentence, not a traceback.
"""

from __future__ import annotations

import sys

from casefile.interrupt import Interrupted, stop_on_signals

SETUP = {
    "casefile": "install Casefile with its dependencies: `pip install .` in the Casefile folder",
    "python build.py": "set up once with `bash scripts/setup.sh`, then run `.venv/bin/python build.py`",
}


def run(prog: str = "casefile") -> int:
    """Parse the command line and run the verb; the exit code."""
    stop_on_signals()  # before the slow imports
    try:
        from casefile.commands.cli import main

        return main(prog=prog)  # it imports the heavy libraries only when a verb needs them
    except Interrupted as stop:
        return stop.report("nothing was written")
    except ModuleNotFoundError as missing:
        if (missing.name or "casefile").startswith("casefile"):
            raise
        print(f"{prog}: the Python package '{missing.name}' is missing: {SETUP[prog]}", file=sys.stderr)
        return 1
