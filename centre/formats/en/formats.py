"""How Samhus writes a date in English: the same kinds as ../da/formats.py,
day before month as in Britain (the house is in Denmark)."""

DATE_FORMAT = "j F Y"  # 7 December 2025
SHORT_DATE_FORMAT = "j M Y"  # 7 Dec 2025
MONTH_DAY_FORMAT = "j F"  # 7 December
YEAR_MONTH_FORMAT = "F Y"  # December 2025
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"

# Samhus's own kinds
DAY_FORMAT = "D j M"  # Mon 7 Dec
LONG_DAY_FORMAT = "l j F Y"  # Monday 7 December 2025
MONTH_SHORT_FORMAT = "M Y"  # Dec 2025
