from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupsConfig(AppConfig):
    name = "signups"
    verbose_name = _("Sign-ups and attendance")

    def ready(self):
        # Listen to bookings (which never imports this app): cancelled and
        # moved dates, the activity's page, the calendar's items and the feeds' places.
        from bookings import extensions

        from . import booking_part, hooks

        extensions.booking_written.connect(hooks.dates_changed, dispatch_uid="signups.dates")
        if hooks.activity_section not in extensions.activity_sections:
            extensions.activity_sections.append(hooks.activity_section)
        if booking_part.SignupsPart not in extensions.booking_form_parts:
            extensions.booking_form_parts.append(booking_part.SignupsPart)
        if hooks.calendar_badges not in extensions.calendar_badges:
            extensions.calendar_badges.append(hooks.calendar_badges)
        if hooks.feed_places not in extensions.feed_places:
            extensions.feed_places.append(hooks.feed_places)
