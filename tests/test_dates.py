"""Dates keep the precision they were written with, display as people write them,
and sort month before day before the next month."""

from __future__ import annotations

import pytest

from casefile.content.dates import FuzzyDate


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2021", "2021"),
        (2021, "2021"),
        ("2021-06", "June 2021"),
        ("2018-01", "January 2018"),
        ("2021-06-13", "13 June 2021"),
        (" 2021-06-13 ", "13 June 2021"),
        ("2021-06-13/2021-06-19", "13–19 June 2021"),
        ("2021-06-28/2021-07-02", "28 June – 2 July 2021"),
        ("2021-06/2021-07", "June–July 2021"),
        ("1999/2018", "1999–2018"),
        ("2021-12-30/2022-01-02", "30 December 2021 – 2 January 2022"),
        ("2021-06-13/2021-06-13", "13 June 2021"),
    ],
)
def test_display(written: str | int, shown: str) -> None:
    assert str(FuzzyDate.parse(written)) == shown


@pytest.mark.parametrize("written", ["2021", "2021-06", "2021-06-13", "2021-06-13/2021-06-19", "2021-06/2021-07"])
def test_precision_is_kept(written: str) -> None:
    assert FuzzyDate.parse(written).iso == written


def test_sort_order_month_before_its_days_before_next_month() -> None:
    written = ["2021-07", "2021-06-13", "2022", "2021-06", "2021", "2021-06-13/2021-06-19", "2021-06-14"]
    ordered = sorted(written, key=lambda w: FuzzyDate.parse(w).sort_key)
    assert ordered == ["2021", "2021-06", "2021-06-13", "2021-06-13/2021-06-19", "2021-06-14", "2021-07", "2022"]


def test_year_of_a_range_is_its_start() -> None:
    assert FuzzyDate.parse("2021-12-30/2022-01-02").year == 2021


@pytest.mark.parametrize(
    "written",
    [
        "2021-13-01",  # no 13th month
        "2021-00",  # no month 0
        "2021-02-30",  # no 30 February
        "2023-02-29",  # not a leap year
        "2021-06-19/2021-06-13",  # ends before it starts
        "21-06-13",
        "June 2021",
        "13/06/2021",
        "2021-6-13",
        "",
        "2021/",
        None,
        True,
        [2021],
    ],
)
def test_invalid_dates_raise(written: object) -> None:
    with pytest.raises(ValueError):
        FuzzyDate.parse(written)


def test_leap_day_is_a_date() -> None:
    assert str(FuzzyDate.parse("2024-02-29")) == "29 February 2024"


@pytest.mark.parametrize("written", ["0000", "0000-01", "0000-02-29", "0000/2021", "2021-06-13/0000-01-01"])
def test_year_zero_is_refused_as_a_date_that_does_not_exist(written: object) -> None:
    """There is no year 0 (1 BC is followed by AD 1); before, '0000-02-29' parsed and crashed a later check."""
    with pytest.raises(ValueError, match="year 0 does not exist"):
        FuzzyDate.parse(written)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2021-06-13/2021", "13 June 2021 – 2021"),  # ends on 31 December 2021
        ("2021-06-13/2021-06", "13 June 2021 – June 2021"),  # ends on 30 June 2021
        ("2021-06/2021-06-13", "June 2021 – 13 June 2021"),
        ("2021/2021-01-01", "2021 – 1 January 2021"),
        ("2021-12-31/2021", "31 December 2021 – 2021"),
    ],
)
def test_a_range_of_mixed_precision_ends_on_the_last_day_its_end_may_mean(written: str, shown: str) -> None:
    date = FuzzyDate.parse(written)
    assert date.iso == written
    assert str(date) == shown


@pytest.mark.parametrize("written", ["2022/2021-12-31", "2021-07/2021-06-30", "2021-06-14/2021-06-13"])
def test_a_range_of_mixed_precision_that_ends_before_it_starts_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        FuzzyDate.parse(written)


def test_ranges_of_mixed_precision_sort_with_the_others() -> None:
    written = ["2021-06-14", "2021-06-13/2021", "2021-06", "2021-06-13/2021-06", "2021-06-13"]
    ordered = sorted(written, key=lambda w: FuzzyDate.parse(w).sort_key)
    assert ordered == ["2021-06", "2021-06-13", "2021-06-13/2021-06", "2021-06-13/2021", "2021-06-14"]
