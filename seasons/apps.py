from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeasonsConfig(AppConfig):
    name = "seasons"
    verbose_name = _("Seasons")

    def ready(self):
        # A cancelled or released date goes to the waiting list at once
        # (bookings never imports this app).
        from bookings import extensions

        from . import hooks

        extensions.booking_written.connect(hooks.dates_cancelled, dispatch_uid="seasons.dates")
