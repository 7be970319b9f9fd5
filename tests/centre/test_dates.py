"""The house's date range, with one home."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from centre.dates import FIRST_YEAR, LAST_YEAR, check_date


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
