"""Build the investigation site: ``python build.py [build|check] [--site DIR] [--out DIR]``."""

import sys

from casefile.cli import main

if __name__ == "__main__":
    sys.exit(main())
