"""Dates as journalists know them: a year, a month, a day, or a range of them.

The precision written is the precision kept: ``2021-06`` is "June 2021", never
the 1st of June, and sorts before ``2021-06-13``.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

_POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MONTHS = list(calendar.month_name)


@dataclass(frozen=True, order=True)
class Day:
    """A point in time at year, month or day precision (missing parts are 0)."""

    year: int
    month: int = 0
    day: int = 0

    @classmethod
    def parse(cls, text: str) -> Day:
        """The day ``text`` names; a ValueError says what is wrong, or is empty when the form is."""
        match = _POINT.fullmatch(text)
        if not match:
            raise ValueError("")
        year, month, day = (int(g) if g else 0 for g in match.groups())
        if year == 0:  # the calendar goes from 1 BC to AD 1; Python's dates, too, start at year 1
            raise ValueError("year 0 does not exist (1 BC is followed by AD 1)")
        if match.group(2) and not 1 <= month <= 12:
            raise ValueError(f"month {month} does not exist")
        if match.group(3):
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                raise ValueError(f"{MONTHS[month]} {year} has {days} days")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def as_date(self) -> datetime.date:
        """The first day it covers, for formatting only: :attr:`precision` says how much of it to show."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_date(self) -> datetime.date:
        """The last day it covers: "June 2021" may be the 30th, "2021" the 31st of December."""
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def iso(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{p:02d}" for p in (self.month, self.day) if p])

    def __str__(self) -> str:
        parts = [str(self.day)] if self.day else []
        if self.month:
            parts.append(MONTHS[self.month])
        return " ".join(parts + [str(self.year)])


@dataclass(frozen=True)
class FuzzyDate:
    """A date or a closed range ``start/end``, displayed as people write it."""

    start: Day
    end: Day | None = None

    @classmethod
    def parse(cls, value: Any) -> FuzzyDate:
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise PydanticCustomError("date_type", "expected a date like 2021, 2021-06 or 2021-06-13")
        text = value.strip()
        first, slash, last = text.partition("/")
        try:
            start = Day.parse(first)
            end = Day.parse(last) if slash else None
        except ValueError as exc:
            reason = str(exc) or "write 2021, 2021-06, 2021-06-13 or a range 2021-06-13/2021-06-19"
            raise PydanticCustomError(
                "date_format", "'{value}' is not a date: {reason}", {"value": text, "reason": reason}
            ) from None
        if end is not None and end.last_date < start.as_date:  # "2021-06-13/2021" ends on 31 December
            raise PydanticCustomError("date_order", "the range '{value}' ends before it starts", {"value": text})
        return cls(start, end)

    @property
    def iso(self) -> str:
        return self.start.iso + (f"/{self.end.iso}" if self.end else "")

    @property
    def sort_key(self) -> tuple[int, int, int, int, int, int]:
        """By the start as written (a month before its days), then by the last day the date may mean."""
        last = (self.end or self.start).last_date
        return (self.start.year, self.start.month, self.start.day, last.year, last.month, last.day)

    @property
    def year(self) -> int:
        return self.start.year

    def __str__(self) -> str:
        start, end = self.start, self.end
        if end is None or end == start:
            return str(start)
        same_precision = bool(start.month) == bool(end.month) and bool(start.day) == bool(end.day)
        if same_precision and start.year == end.year:
            if start.day and start.month == end.month:
                return f"{start.day}–{end.day} {MONTHS[start.month]} {start.year}"
            if start.day:
                return f"{start.day} {MONTHS[start.month]} – {end.day} {MONTHS[end.month]} {start.year}"
            if start.month:
                return f"{MONTHS[start.month]}–{MONTHS[end.month]} {start.year}"
        separator = "–" if not start.month and not end.month else " – "
        return f"{start}{separator}{end}"


DATE_PATTERN = r"^(?!0000)\d{4}(-\d{2}(-\d{2})?)?(/(?!0000)\d{4}(-\d{2}(-\d{2})?)?)?$"  # no year 0

Date = Annotated[
    FuzzyDate,
    BeforeValidator(FuzzyDate.parse),
    PlainSerializer(lambda d: d.iso, return_type=str),
    WithJsonSchema(  # YAML reads a bare year as a number
        {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "examples": ["2021", "2021-06", "2021-06-13/2021-06-19"],
        }
    ),
]
