from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Rooms and bookings")

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from actors.models import Actor
        from centre.uploads import keep_track

        from .calendar import texts
        from .models import Room

        keep_track(Room)

        # A renamed room or actor leaves its bookings' calendar texts out of date.
        for model in (Room, Actor):
            pre_save.connect(
                texts.note_rename, sender=model, dispatch_uid=f"rename-{model.__name__}"
            )
            post_save.connect(
                texts.clear_stamps, sender=model, dispatch_uid=f"clear-{model.__name__}"
            )
