"""Reads about bookings that are more than a queryset: the fair-use figures
per actor."""

import datetime

from django.utils import timezone

from .models import Booking, Status


def fair_use(first: datetime.date, last: datetime.date) -> list[dict]:
    """Per actor over a period: hours booked (confirmed), hours used (confirmed and
    past), hours cancelled late, and the number of bookings - the figures that
    show whether access to the rooms is fair. One query."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    )
    now = timezone.now()
    figures: dict[int, dict] = {}
    for actor_id, name, status, late, b_start, b_end in Booking.objects.filter(
        start__gte=start, start__lt=end
    ).values_list("actor_id", "actor__name", "status", "cancelled_late", "start", "end"):
        row = figures.setdefault(
            actor_id,
            {"actor": name, "bookings": 0, "booked": 0.0, "used": 0.0, "cancelled_late": 0.0},
        )
        hours = (b_end - b_start).total_seconds() / 3600
        row["bookings"] += 1
        if status == Status.CONFIRMED:
            row["booked"] += hours
            if b_end <= now:
                row["used"] += hours
        if status == Status.CANCELLED and late:
            row["cancelled_late"] += hours
    return sorted(figures.values(), key=lambda row: (-row["booked"], row["actor"]))
