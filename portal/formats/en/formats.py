"""English dates as they are read in Europe (day before month, 24-hour clock), not Django's US default."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
# The portal's own names (see portal/formats/de/formats.py); English needs no "o'clock".
WEEKDAY_DATE_FORMAT = "l, j F Y"
WEEKDAY_DATETIME_FORMAT = "l, j F Y, H:i"
WEEKDAY_DATETIME_CLOCK_FORMAT = "l, j F Y, H:i"
DATETIME_CLOCK_FORMAT = "j F Y, H:i"
CLOCK_TIME_FORMAT = "H:i"
SHORT_WEEKDAY_DATE_FORMAT = "D, j M"
DAY_OF_MONTH_FORMAT = "j"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
