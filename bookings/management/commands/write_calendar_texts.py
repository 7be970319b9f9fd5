"""Write the calendar texts of every booking whose texts are out of date.

Readers rewrite out-of-date texts themselves, but after an upgrade that adds
or changes them, a new SITE_URL or a renamed busy room or actor, that would fall on the
first visitors. docker compose runs this after `migrate`; running it again
writes nothing."""

from django.core.management.base import BaseCommand

from bookings.calendar import texts
from bookings.models import Booking


class Command(BaseCommand):
    help = "Write the calendar's and the feeds' texts of the bookings whose texts are out of date."

    def handle(self, *args, **options):
        rows = Booking.objects.values_list("pk", *texts.STAMP_FIELDS).order_by("pk")
        stale = texts.Site().stale(rows.iterator(chunk_size=5000))
        texts.refresh(stale)
        self.stdout.write(f"Calendar texts written for {len(stale)} of the bookings.")
