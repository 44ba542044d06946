"""Build the investigation site: ``python build.py [build|check|serve|new|init] [--site DIR] [--out DIR]``."""

import sys

from casefile.commands.entry import run

if __name__ == "__main__":
    sys.exit(run("python build.py"))
