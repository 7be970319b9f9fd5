"""The house's date range and its local moments, each with one home."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from centre.dates import FIRST_YEAR, LAST_YEAR, check_date
from centre.selectors import aware


@pytest.mark.parametrize("day", [datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)])
def test_dates_inside_the_range_pass(day):
    check_date(day)


@pytest.mark.parametrize("day", [datetime.date(1899, 12, 31), datetime.date(3000, 1, 1)])
def test_dates_outside_the_range_are_refused_with_one_translated_message(day):
    for language, message in (
        ("en", "Choose a date between the years 1900 and 2999."),
        ("da", "Vælg en dato mellem årene 1900 og 2999."),
    ):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            check_date(day)
        assert refused.value.messages == [message]


def test_a_local_moment_is_in_the_houses_time_zone():
    assert aware(datetime.date(2026, 1, 5)).utcoffset() == datetime.timedelta(hours=1)
    # The night the clocks go forward: 03:00 is already summer time.
    moment = aware(datetime.date(2026, 3, 29), datetime.time(3))
    assert moment.utcoffset() == datetime.timedelta(hours=2)
    assert moment.tzname() == "CEST"
