"""Limits on the pictures people upload: the house's logo, an actor's logo, a
room's photo. PNG, JPEG or WebP (never SVG, which can carry script), at most
1 MB and 2000 by 2000 pixels. Pillow opens each upload (Django's ImageField),
so a file that is not a picture is refused whatever its name says."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 2000
IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]


def validate_logo(image) -> None:
    """A logo's or a room photo's limits (the name is the one the migrations know)."""
    if image.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The picture is too large (%(size)s MB). The limit is 1 MB."),
            params={"size": f"{image.size / 1024 / 1024:.1f}"},
            code="logo_too_large",
        )
    width, height = getattr(image, "width", 0), getattr(image, "height", 0)
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The picture is %(width)s × %(height)s pixels. At most 2000 × 2000 pixels, please."),
            params={"width": width, "height": height},
            code="logo_too_wide",
        )


def image_validators() -> list:
    return [FileExtensionValidator(IMAGE_EXTENSIONS), validate_logo]
