"""``{% icon "calendar" %}``: one of heroicons' 20 px "mini" icons (the
heroicons package, never pasted SVG), decorative beside its words: hidden from
screen readers, coloured by the text around it. Icons that point along the
line of reading get ``icon-directional`` and turn round in right-to-left
languages (samhus.css)."""

import functools

from django import template
from heroicons.templatetags.heroicons import heroicon_mini

register = template.Library()

# Icons that point forwards or backwards in the reading direction.
DIRECTIONAL = ("arrow-", "chevron-", "arrow-long-", "arrow-uturn-", "arrow-right-")


@register.simple_tag
@functools.lru_cache(maxsize=256)
def icon(name: str, size: int = 20, extra: str = ""):
    """The icon's markup, written once per process for each name, size and
    class: heroicons reads and parses its SVG on every call."""
    classes = ["icon"]
    if name.startswith(DIRECTIONAL) and name.endswith(("left", "right")):
        classes.append("icon-directional")
    if extra:
        classes.append(extra)
    return heroicon_mini(name, size=size, **{"class": " ".join(classes), "focusable": "false"})
