"""Write the built site so that a failed build never leaves a broken one.

Everything goes to a temporary folder beside the output; only when all of it
is written, and the staged site passes ``verify``, is it swapped in, in two renames.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def _accept(staging: Path) -> bool:
    return True


def write_site(
    pages: dict[str, str], static_dirs: list[Path], out: Path, verify: Callable[[Path], bool] = _accept
) -> bool:
    """Replace ``out`` with ``pages`` plus the files of ``static_dirs`` (first wins).

    ``verify`` looks at the staged folder first; when it refuses, ``out`` stays as it was
    and the result is False.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for static in reversed(static_dirs):
            if static.is_dir():
                shutil.copytree(static, staging / "static", dirs_exist_ok=True)
        for path, html in sorted(pages.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8", newline="\n")
        if not verify(staging):
            return False
        _swap(staging, out)
        return True
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, out: Path) -> None:
    previous = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, previous)
    os.rename(staging, out)
    shutil.rmtree(previous, ignore_errors=True)
