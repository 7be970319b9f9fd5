"""``{{ value|date_as:"DAY_FORMAT" }}``: a date written as one of Samhus's kinds
(centre/formats/<language>/formats.py); ``{{ value|date_and_time }}``: a date
with its time kept left to right; ``{% comma %}``: the comma after a date or
between a list's items, in the page's language, and ``{{ names|join_comma }}``
the list joined by it; ``{{ email|ltr }}``: an address kept left to right. A builtin: no {% load %} needed."""

import datetime

from django import template
from django.utils import dateformat, timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from centre.dates import date_as as _date_as

register = template.Library()


@register.filter(expects_localtime=False)
def date_as(value, name="DAY_FORMAT"):
    return _date_as(value, name)


@register.filter(expects_localtime=False)
def date_and_time(value, name="SHORT_DATE_FORMAT"):
    """A moment in a page: its date as the kind ``name``, then its time inside
    ``<bdi dir="ltr">``, as every time in Samhus's pages (an Arabic page reads
    the date right to left, the time as on the house's signs)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_html(
        '{} <bdi dir="ltr">{}</bdi>', _date_as(value, name), dateformat.time_format(value, "H:i")
    )


@register.simple_tag
def comma():
    """The comma after a date ("Monday 7 December, 10:00") or between a list's
    items: "، " in Arabic."""
    return pgettext("between the parts of a line", ", ")


@register.filter(is_safe=False, needs_autoescape=True)
def join_comma(values, autoescape=True):
    """``{{ names|join_comma }}``: the items joined by ``{% comma %}``'s comma
    (", ", in Arabic "، "), each escaped as ``join`` does."""
    escape = conditional_escape if autoescape else str
    return mark_safe(escape(comma()).join(escape(value) for value in values))


@register.filter
def ltr(value):
    """``{{ email|ltr }}``: an address, number or code kept left to right
    inside a right-to-left sentence (``<bdi dir="ltr">``), escaped."""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter(is_safe=True)
def left_to_right(value):
    """Times (10:00 to 12:00) in a plain-text mail, kept left to right inside a
    right-to-left language's text by Unicode's isolate (U+2066 … U+2069), as
    ``<bdi dir="ltr">`` does in HTML. ``{% filter left_to_right %}…{% endfilter %}``."""
    if not translation.get_language_bidi():
        return value
    return f"\u2066{value}\u2069"
