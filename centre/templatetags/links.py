"""``{% absolute_url %}``: a page's address for use elsewhere (a calendar
app, another site), at the host the page was asked at (centre.links)."""

from django import template
from django.urls import reverse

from centre import links

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, viewname: str, *args, scheme: str = "") -> str:
    """The full address of ``viewname`` (with ``args``, as ``{% url %}``);
    ``scheme="webcal"`` for a calendar app's subscription."""
    url = links.absolute(reverse(viewname, args=args), context.get("request"))
    if scheme:
        url = scheme + url[url.index(":") :]
    return url
