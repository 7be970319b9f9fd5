"""How Samhus writes a date in Arabic: the same kinds as ../da/formats.py, with
the day and month written out (Arabic has no usual short names for them) and
Latin digits, as on the house's Danish signs and timetables."""

DATE_FORMAT = "j F Y"  # 7 ديسمبر 2025
SHORT_DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday, as in Denmark

# Samhus's own kinds
DAY_FORMAT = "l j F"  # الاثنين 7 ديسمبر
LONG_DAY_FORMAT = "l j F Y"
MONTH_SHORT_FORMAT = "F Y"
