"""The house's colour: WCAG 2.1 contrast between two sRGB colours, and the
check a coordinator's choice must pass. The colour is the background of the
header and the buttons under white text, and the colour of links on the
page's white and light grey, so it must reach 4.5:1 against both."""

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

DEFAULT_BRAND = "#0b4f8a"
WHITE = "#ffffff"
WASH = "#f3f5f8"  # the light grey of the footer, filters and today's row (--wash)
MINIMUM = 4.5  # WCAG 2.1 AA, normal text
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def rgb(colour: str) -> tuple[int, int, int]:
    """``#0b4f8a`` as (11, 79, 138)."""
    if not HEX.match(colour or ""):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance: 0 for black, 1 for white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same) to 21 (black on white); the order does not matter."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darker(colour: str, amount: float = 0.25) -> str:
    """The colour mixed with ``amount`` black: the navigation bar and hover shade."""
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in rgb(colour))


def validate_brand_colour(value: str) -> None:
    """Refuse a colour white text cannot be read on, naming the measured ratio."""
    if not HEX.match(value or ""):
        raise ValidationError(
            _("Write the colour as # and six hexadecimal digits, e.g. #0b4f8a."), code="format"
        )
    ratio = min(contrast_ratio(value, WHITE), contrast_ratio(value, WASH))
    if ratio < MINIMUM:
        raise ValidationError(
            _(
                "This colour has a contrast of only %(ratio)s:1 with white text and with the "
                "page's light grey; at least 4.5:1 is needed to be readable. "
                "Choose a darker colour."
            ),
            params={"ratio": number_format(int(ratio * 100) / 100, 2)},
            code="contrast",
        )
