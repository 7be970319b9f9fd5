"""``{{ value|date_as:"DAY_FORMAT" }}``: a date written as one of Samhus's kinds
(centre/formats/<language>/formats.py). A builtin: no {% load %} needed."""

from django import template
from django.utils import translation

from centre.dates import date_as as _date_as

register = template.Library()


@register.filter(expects_localtime=False)
def date_as(value, name="DAY_FORMAT"):
    return _date_as(value, name)


@register.filter(is_safe=True)
def left_to_right(value):
    """Times (10:00 to 12:00) in a plain-text mail, kept left to right inside a
    right-to-left language's text by Unicode's isolate (U+2066 … U+2069), as
    ``<bdi dir="ltr">`` does in HTML. ``{% filter left_to_right %}…{% endfilter %}``."""
    if not translation.get_language_bidi():
        return value
    return f"\u2066{value}\u2069"
