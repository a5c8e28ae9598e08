"""German dates beyond Django's own German formats (which stay in force for everything not named here).

The portal's own names, used as `{{ value|date:"WEEKDAY_DATE_FORMAT" }}` and by
portal.dates; every language's module defines all of them. A clock time reads
"10:00 Uhr" in German.
"""

WEEKDAY_DATE_FORMAT = "l, j. F Y"
# The start of a period whose end follows ("Dienstag, 1. Dezember 2026, 10:00", then "12:00 Uhr").
WEEKDAY_DATETIME_FORMAT = "l, j. F Y, H:i"
# One moment on its own.
WEEKDAY_DATETIME_CLOCK_FORMAT = r"l, j. F Y, H:i \U\h\r"
DATETIME_CLOCK_FORMAT = r"j. F Y, H:i \U\h\r"
CLOCK_TIME_FORMAT = r"H:i \U\h\r"
SHORT_WEEKDAY_DATE_FORMAT = "D, j. n."
DAY_OF_MONTH_FORMAT = "j."
