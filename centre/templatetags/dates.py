"""``{{ value|date_as:"DAY_FORMAT" }}``: a date written as one of Samhus's kinds
(centre/formats/<language>/formats.py). A builtin: no {% load %} needed."""

from django import template

from centre.dates import date_as as _date_as

register = template.Library()


@register.filter(expects_localtime=False)
def date_as(value, name="DAY_FORMAT"):
    return _date_as(value, name)
