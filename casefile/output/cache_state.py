"""What the build cache's ``state.json`` may hold, checked field by field before anything in it is trusted.

A state is plain JSON: whatever does not have exactly the shape :meth:`casefile.output.cache.BuildCache.save`
writes makes the whole state None, and the build runs in full.
"""

from __future__ import annotations

import re

Stamp = tuple[int, int, int, int]  # mtime, ctime, size, inode
Entry = tuple[Stamp | None, str]  # (stamp, content hash in hex) of a file; (None, "dir") of a folder
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what a replayed message may not bring to a terminal
_HEX = re.compile(r"[0-9a-f]{32}")


def valid_state(data: object) -> dict | None:
    """``data`` as a state when every field has the shape :meth:`BuildCache.save` writes; None otherwise. JSON
    gives lists where the state had tuples: stamps come back as tuples, so they compare with new scans."""
    if not isinstance(data, dict) or set(data) != {"key", "inputs", "out", "outputs", "warnings", "pages"}:
        return None
    if not isinstance(data["pages"], str) or not _HEX.fullmatch(data["pages"]):
        return None
    inputs, outputs, warnings = data["inputs"], data["outputs"], data["warnings"]
    if not (isinstance(inputs, dict) and isinstance(outputs, dict) and isinstance(warnings, list)):
        return None
    if not (isinstance(data["key"], list) and isinstance(data["out"], str)):
        return None
    try:
        return {
            "key": data["key"],
            "inputs": {_text(path): _entry(entry) for path, entry in inputs.items()},
            "out": data["out"],
            "outputs": {_text(path): _entry(entry) for path, entry in outputs.items()},
            "warnings": [_warning(fields) for fields in warnings],
            "pages": data["pages"],
        }
    except (TypeError, ValueError):
        return None


def _text(value: object) -> str:
    if not isinstance(value, str) or _UNPRINTABLE.search(value):
        raise ValueError(value)
    return value


def _number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(value)
    return value


def _stamp(value: object) -> Stamp:
    """Four whole numbers (``type is int``: no bool, no subclass); written out, as there are tens of thousands
    of stamps at 10,000 dossiers and this runs before every build."""
    if type(value) is not list or len(value) != 4:
        raise TypeError(value)
    mtime, ctime, size, inode = value
    if type(mtime) is not int or type(ctime) is not int or type(size) is not int or type(inode) is not int:
        raise TypeError(value)
    return (mtime, ctime, size, inode)


def _entry(value: object) -> Entry:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError(value)
    recorded, digest = value
    if digest == "dir" and recorded is None:
        return (None, "dir")
    if not isinstance(digest, str) or not _HEX.fullmatch(digest):
        raise ValueError(digest)
    return (_stamp(recorded) if recorded is not None else None, digest)


def _warning(value: object) -> tuple:
    if not isinstance(value, list) or len(value) != 7:
        raise TypeError(value)
    path, line, column, message, hint, severity, kind = value
    if severity != "warning":  # a build with errors is never remembered
        raise ValueError(severity)
    return (_text(path), _number(line), _number(column), _text(message), _text(hint), severity, _text(kind))
