"""``{% absolute_url %}``: a page's address for use elsewhere (a calendar
app, another site), at the host the page was asked at (centre.links);
``{% nav_item %}``: a link of the navigation."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from centre import links

from . import icons

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, viewname: str, *args, scheme: str = "") -> str:
    """The full address of ``viewname`` (with ``args``, as ``{% url %}``);
    ``scheme="webcal"`` for a calendar app's subscription."""
    url = links.absolute(reverse(viewname, args=args), context.get("request"))
    if scheme:
        url = scheme + url[url.index(":") :]
    return url


@register.simple_tag(takes_context=True)
def nav_item(context, viewname: str, label, icon: str = "") -> str:
    """A navigation link as a list item, marked as the current page when it
    leads to the page shown: ``{% nav_item "bookings:calendar" _("Calendar")
    icon="calendar-days" %}``. Written in one go: the header shows five to
    twenty of them on every page."""
    href = reverse(viewname)
    request = context.get("request")
    current = request is not None and request.path == href
    return format_html(
        '<li><a href="{}"{}>{}{}</a></li>',
        href,
        mark_safe(' aria-current="page"') if current else "",
        icons.icon(icon) if icon else "",
        label,
    )
