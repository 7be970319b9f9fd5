"""How many residents the house reached: the head counts the activities'
people record after each date (signups.Attendance), per month, per target
group, per actor and per form of collaboration. Counts only, never a name.

An activity counts for its own actor; when it is a related booking of a
collaboration, it also counts for every actor taking part in it (a disputed
part excepted) and for the collaboration's form: activities run together
count for each actor. A date belongs to the period when it started in it.
Six queries at most, whatever the period (one when nothing was counted)."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Sum

from actors.models import TargetGroup
from bookings.models import Booking
from centre.selectors import aware
from signups.models import Attendance, SignUp

from ..models import Collaboration, Form, Participation
from .period import Filters, month_label

BANDS = ("children", "young", "adults", "seniors")


@dataclass(frozen=True)
class Reach:
    participants: int
    dates: int
    signed_up: int
    bands: dict[str, int]
    months: list[tuple[str, int]]
    by_target: list[tuple[str, int]]
    by_actor: list[tuple[str, int]]
    by_form: list[tuple[str, int]]

    @property
    def band_rows(self) -> list[tuple[str, int]]:
        from django.utils.translation import gettext

        labels = {
            "children": gettext("Children (0–12)"),
            "young": gettext("Young people (13–24)"),
            "adults": gettext("Adults (25–64)"),
            "seniors": gettext("Seniors (65+)"),
        }
        return [(labels[band], self.bands[band]) for band in BANDS]

    @property
    def average(self) -> int:
        return round(self.participants / self.dates) if self.dates else 0


def reach(filters: Filters, actor_id: int | None = None) -> Reach:
    start = aware(filters.first)
    end = aware(filters.last + datetime.timedelta(days=1))
    rows = Attendance.objects.filter(booking__start__gte=start, booking__start__lt=end)
    if actor_id is not None:
        rows = rows.filter(booking__actor_id=actor_id) | rows.filter(
            booking__collaborations__participations__actor_id=actor_id
        )
    rows = list(
        rows.distinct()
        .order_by()
        .values_list(
            "booking_id",
            "total",
            *BANDS,
            "booking__start",
            "booking__actor_id",
            "booking__actor__name",
        )
    )
    ids = [row[0] for row in rows]
    totals = {row[0]: row[1] for row in rows}
    months, actors, targets, forms = Counter(), Counter(), Counter(), Counter()
    bands = dict.fromkeys(BANDS, 0)
    counted: dict[int, set[str]] = {}
    for row in rows:
        booking_id, total = row[0], row[1]
        for band, value in zip(BANDS, row[2:6], strict=True):
            bands[band] += value or 0
        months[row[6].astimezone(start.tzinfo).date().replace(day=1)] += total
        counted.setdefault(booking_id, set()).add(row[8])
    # Target groups of the counted dates.
    target_names = (
        {pk: item.label for pk, item in TargetGroup.objects.in_bulk().items()} if ids else {}
    )
    if ids:
        for booking_id, group_id in Booking.target_groups.through.objects.filter(
            booking_id__in=ids
        ).values_list("booking_id", "targetgroup_id"):
            targets[target_names[group_id]] += totals[booking_id]
        # Collaborations the dates belong to: their form, and every actor in them.
        links = list(
            Collaboration.bookings.through.objects.filter(booking_id__in=ids).values_list(
                "booking_id", "collaboration_id", "collaboration__form"
            )
        )
        parts: dict[int, set[str]] = {}
        for collaboration_id, name in (
            Participation.objects.filter(collaboration_id__in={c for _b, c, _f in links})
            .exclude(status=Participation.Status.DISPUTED)
            .values_list("collaboration_id", "actor__name")
        ):
            parts.setdefault(collaboration_id, set()).add(name)
        by_form: dict[int, set[str]] = {}
        for booking_id, collaboration_id, form in links:
            by_form.setdefault(booking_id, set()).add(form)
            counted[booking_id] |= parts.get(collaboration_id, set())
        for booking_id, found in by_form.items():
            for form in found:
                forms[str(Form(form).label)] += totals[booking_id]
    for booking_id, names in counted.items():
        for name in names:
            actors[name] += totals[booking_id]
    signed_up = (
        SignUp.objects.filter(booking_id__in=ids, status=SignUp.Status.CONFIRMED).aggregate(
            n=Sum("people")
        )["n"]
        or 0
        if ids
        else 0
    )
    return Reach(
        participants=sum(totals.values()),
        dates=len(rows),
        signed_up=signed_up,
        bands=bands,
        months=[(month_label(month), months[month]) for month in filters.months],
        by_target=targets.most_common(),
        by_actor=actors.most_common(),
        by_form=forms.most_common(),
    )
