"""What sign-ups add to bookings through bookings.extensions: the sign-up
part of an activity's page, the places left on calendar items and in the
feeds, and the mails when a date is cancelled or moved."""

from html import escape

from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from bookings.models import Visibility

from . import services, upkeep
from .models import Sheet, SignUp


def dates_changed(sender, bookings, action, changes, each, **kwargs):
    upkeep.dates_changed(bookings, action, changes, each or {})


def activity_section(request, booking) -> str:
    from .forms import SignUpForm

    sheet = services.sheet_for(booking)
    manage = services.can_manage(request.user, booking)
    if booking.visibility != "public":
        # An internal activity takes no sign-ups from residents; its people
        # still reach its list, settings and attendance.
        sheet = None
    if sheet is None and not manage:
        return ""
    context = {"booking": booking, "sheet": sheet, "manage": manage}
    if sheet is not None:
        shown = services.places(sheet, booking)
        context.update(
            places=shown,
            state=shown.state(),
            refusal=services.refusal(shown.state(), booking, sheet),
            form=SignUpForm(sheet=sheet),
        )
    return render_to_string("signups/_activity.html", context, request=request)


def label(places: services.Places, state: str) -> str:
    if state == "open":
        return ngettext(
            "%(left)s of %(places)s place left", "%(left)s of %(places)s places left", places.left
        ) % {"left": places.left, "places": places.places}
    return {
        "waiting": gettext("Full – waiting list"),
        "full": gettext("Full"),
        "closed": gettext("Sign-up closed"),
        "not-open": gettext("Sign-up not open yet"),
    }[state]


def _shown(bookings) -> list[tuple[int, services.Places, str]]:
    """Each booking among ``bookings`` (a queryset) that takes sign-ups, with
    its places and their state: one query."""
    now = timezone.now()
    # From the few sheets, not the many bookings: a year's feed has thousands.
    sheets = Sheet.objects.values_list
    rows = (
        bookings.filter(
            Q(pk__in=sheets("booking_id").filter(booking__isnull=False))
            | Q(series_id__in=sheets("series_id").filter(series__isnull=False))
        )
        .order_by()
        .values(
            "pk",
            "start",
            "sheet__places",
            "sheet__waiting_list",
            "sheet__opens_days_before",
            "sheet__closes_hours_before",
            "series__sheet__places",
            "series__sheet__waiting_list",
            "series__sheet__opens_days_before",
            "series__sheet__closes_hours_before",
        )
        .annotate(
            taken=Sum(
                "signups__people",
                filter=Q(signups__status=SignUp.Status.CONFIRMED)
                | Q(signups__status=SignUp.Status.HELD, signups__held_until__gt=now),
            )
        )
    )
    shown = []
    for row in rows:
        prefix = "sheet__" if row["sheet__places"] is not None else "series__sheet__"
        sheet = Sheet(
            places=row[prefix + "places"],
            waiting_list=row[prefix + "waiting_list"],
            opens_days_before=row[prefix + "opens_days_before"],
            closes_hours_before=row[prefix + "closes_hours_before"],
        )

        class _Date:
            start = row["start"]

        places = services.places(sheet, _Date, taken=row["taken"] or 0)
        shown.append((row["pk"], places, places.state(now)))
    return shown


SHEET_FIELDS = ("places", "waiting_list", "opens_days_before", "closes_hours_before")


def _sheets(rows) -> dict[int, tuple[Sheet, dict]]:
    """The sheet of each of ``rows`` that takes sign-ups, its own or its
    series': one query for the sheets of the rows' window and of the series
    (a house has a few dozen), never a list of the page's ids."""
    first = min(row["start"] for row in rows)
    last = max(row["start"] for row in rows)
    window = Q(booking__start__gte=first, booking__start__lte=last)
    by_date, by_series = {}, {}
    for booking_id, series_id, *values in Sheet.objects.filter(
        window | Q(series__isnull=False)
    ).values_list("booking_id", "series_id", *SHEET_FIELDS):
        sheet = Sheet(**dict(zip(SHEET_FIELDS, values, strict=True)))
        if booking_id:
            by_date[booking_id] = sheet
        else:
            by_series[series_id] = sheet
    found = {}
    for row in rows:
        sheet = by_date.get(row["pk"]) or by_series.get(row.get("series_id"))
        if sheet is not None:
            found[row["pk"]] = (sheet, row)
    return found


def calendar_badges(rows) -> dict[int, str]:
    """'12 of 20 places left', 'Full - waiting list' or 'Full' on each of a
    page's ``rows`` (dicts with ``pk``, ``start``, ``series_id`` and
    ``visibility``) that takes sign-ups: the sheets (one query), then the
    places taken on the page's dates that have one (a second, only when some
    have). An internal date takes none from residents (activity_section)."""
    rows = [row for row in rows if row["visibility"] == Visibility.PUBLIC]
    if not rows:
        return {}
    sheets = _sheets(rows)
    if not sheets:
        return {}
    now = timezone.now()
    taken = dict(
        SignUp.objects.filter(booking_id__in=sheets)
        .filter(
            Q(status=SignUp.Status.CONFIRMED) | Q(status=SignUp.Status.HELD, held_until__gt=now)
        )
        .order_by()
        .values("booking_id")
        .annotate(taken=Sum("people"))
        .values_list("booking_id", "taken")
    )
    badges = {}
    for pk, (sheet, row) in sheets.items():

        class _Date:
            start = row["start"]

        places = services.places(sheet, _Date, taken=taken.get(pk) or 0)
        state = places.state(now)
        css = "badge-places" if state == "open" else "badge-full"
        badges[pk] = f' <span class="badge {css}">{escape(label(places, state))}</span>'
    return badges


def feed_places(bookings) -> dict[int, dict]:
    """The places of each date among ``bookings`` (a feed's queryset) that
    takes sign-ups and is not cancelled, for the feeds: one query."""
    from bookings.models import Status

    return {
        pk: {
            "places": places.places,
            "left": places.left,
            "waiting_list": places.waiting_list,
            "state": state,
            "text": label(places, state),
        }
        for pk, places, state in _shown(bookings.filter(status=Status.CONFIRMED))
    }
