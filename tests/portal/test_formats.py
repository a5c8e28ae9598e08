import datetime

from django.utils import formats, translation


def test_english_dates_read_day_month_year_with_a_24_hour_clock():
    moment = datetime.datetime(2026, 11, 25, 14, 30)

    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "25/11/2026 14:30"
        assert formats.date_format(moment, "DATE_FORMAT") == "25 November 2026"


def test_german_dates_stay_german():
    moment = datetime.datetime(2026, 11, 25, 14, 30)

    with translation.override("de"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "25.11.2026 14:30"
