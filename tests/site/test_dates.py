"""WordPress's date formats (PHP date() letters) in the site's time zone."""

from datetime import UTC, datetime

import pytest

from byline.options.store import set_option
from byline.site.dates import php_date

WHEN = datetime(2015, 9, 16, 14, 5, 9, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fmt,expected",
    [
        ("F j, Y", "September 16, 2015"),
        ("g:i a", "2:05 pm"),
        ("Y-m-d H:i:s", "2015-09-16 14:05:09"),
        ("D, d M y", "Wed, 16 Sep 15"),
        ("l jS \\o\\f F", "Wednesday 16th of September"),
        ("n/j/Y G:i A", "9/16/2015 14:05 PM"),
        ("c", "2015-09-16T14:05:09+00:00"),
        ("U", "1442412309"),
    ],
)
def test_php_date_letters(fmt, expected):
    assert php_date(WHEN, fmt) == expected


@pytest.mark.django_db
def test_dates_follow_the_site_time_zone():
    set_option("timezone_string", "Asia/Hong_Kong")
    assert php_date(WHEN, "F j, Y g:i a T") == "September 16, 2015 10:05 pm HKT"
    assert php_date(datetime(2015, 1, 1, 3, tzinfo=UTC), "jS") == "1st"


@pytest.mark.django_db
def test_a_new_time_zone_or_format_shows_at_once_on_dates_shown_before():
    # Formatted dates are remembered per server process: the zone and the format are part of
    # what is remembered, so changing either is seen on the next view.
    assert php_date(WHEN, "g:i a") == "2:05 pm"
    set_option("timezone_string", "Asia/Hong_Kong")
    assert php_date(WHEN, "g:i a") == "10:05 pm"
    assert php_date(WHEN, "H:i") == "22:05"
    set_option("timezone_string", "UTC")
    assert php_date(WHEN, "g:i a") == "2:05 pm"
