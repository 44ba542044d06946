"""Build the investigation site: ``python build.py [build|check] [--site DIR] [--out DIR]``."""

import sys

from casefile.interrupt import Interrupted, stop_on_signals

if __name__ == "__main__":
    stop_on_signals()  # before the slow imports, so that an early Ctrl-C is one line too
    try:
        from casefile.cli import main
    except Interrupted as stop:
        sys.exit(stop.report("nothing was written"))
    sys.exit(main())
