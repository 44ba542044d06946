"""Sources that do not rot: a source records ``archived: {url, date}``, the copy and the day it was captured,
so its footnote can link both as Robust Links. Which sources still need a copy is
:mod:`casefile.investigation.archiving`'s to say."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from casefile.content.dates import Date, FuzzyDate

_WAYBACK_STAMP = re.compile(r"//web\.archive\.org/web/(\d{4})(\d{2})(\d{2})\d*")


def one_day(date: FuzzyDate) -> FuzzyDate:
    """A capture date is the one day the copy was made: archives record it, and Robust Links need it."""
    if date.end is not None or not date.start.day:
        raise PydanticCustomError(
            "capture_day",
            "'{value}' is not one day: an archived copy was captured on a day",
            {"value": date.iso, "hint": "write the day the archive gives for the copy, e.g. 2021-07-08"},
        )
    return date


CaptureDay = Annotated[
    Date,
    AfterValidator(one_day),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "examples": ["2021-07-08"]}),
]


def archived_url_moved(value: Any) -> Any:
    """``archived_url:`` was the old form: say how to write it now (with the capture date it lacked)."""
    url = str(value).strip()
    stamp = _WAYBACK_STAMP.search(url)
    date = "-".join(stamp.groups()) if stamp else "YYYY-MM-DD"
    where = " (the copy's address gives it)" if stamp else ", as the archive shows it"
    raise PydanticCustomError(
        "archived_url_moved",
        "`archived_url:` is now written `archived:`, with the day the copy was captured",
        {"hint": f"replace the line with `archived: {{url: {url}, date: {date}}}`: the capture date{where}"},
    )
