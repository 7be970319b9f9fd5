"""How Samhus writes a date in Danish: one format per kind of date, here and in
../en/formats.py (FORMAT_MODULE_PATH). The kinds of Samhus's own are read by
centre.dates.date_as (the ``date_as`` template filter)."""

DATE_FORMAT = "j. F Y"  # 7. december 2025: a date in a sentence
SHORT_DATE_FORMAT = "d.m.Y"  # 07.12.2025: a date in a table
MONTH_DAY_FORMAT = "j. F"  # 7. december
YEAR_MONTH_FORMAT = "F Y"  # december 2025
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"

# Samhus's own kinds
DAY_FORMAT = "D. j. N"  # man. 7. dec.: a day in a list or a mail
LONG_DAY_FORMAT = "l j. F Y"  # mandag 7. december 2025: a day named in full
MONTH_SHORT_FORMAT = "N Y"  # dec. 2025: a month on a chart's axis
