"""What sign-ups add to bookings through bookings.extensions: the sign-up
part of an activity's page, the places left on calendar items and in the
feeds, and the mails when a date is cancelled or moved."""

from html import escape

from django.db.models import DateTimeField, IntegerField, Q, Sum, Value
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from bookings.models import Visibility
from centre.sql import Prepared, Slot

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
TIME = DateTimeField()


def _window():
    """In one query, two kinds of row (kind, booking_id, series_id,
    *SHEET_FIELDS): the sheets ("sheet") of the dates starting between the
    slots ``first`` and ``last`` and of the series (a house has a few dozen);
    and the places taken ("taken", in ``places``) on each date of the same
    window, by confirmed sign-ups and those held until after the slot ``now``
    (only dates that take sign-ups have any)."""
    in_window = {"start__gte": Slot("first", TIME), "start__lte": Slot("last", TIME)}
    sheets = Sheet.objects.filter(
        Q(**{f"booking__{name}": value for name, value in in_window.items()})
        | Q(series__isnull=False)
    ).values_list(Value("sheet"), "booking_id", "series_id", *SHEET_FIELDS)
    nothing = Value(None, output_field=IntegerField())
    taken = (
        SignUp.objects.filter(**{f"booking__{name}": value for name, value in in_window.items()})
        .filter(
            Q(status=SignUp.Status.CONFIRMED)
            | Q(status=SignUp.Status.HELD, held_until__gt=Slot("now", TIME))
        )
        .order_by()
        .values("booking_id")
        .annotate(taken=Sum("people"))
        .values_list(Value("taken"), "booking_id", nothing, "taken", Value(False), nothing, nothing)
    )
    return sheets.union(taken, all=True)


def calendar_badges(rows) -> dict[int, str]:
    """'12 of 20 places left', 'Full - waiting list' or 'Full' on each of a
    page's ``rows`` (dicts with ``pk``, ``start``, ``series_id`` and
    ``visibility``) that takes sign-ups: the sheets of the rows' window and
    the places taken in it, in one query whose SQL is written once
    (centre.sql), never a list of the page's ids. An internal date takes
    none from residents (activity_section)."""
    rows = [row for row in rows if row["visibility"] == Visibility.PUBLIC]
    if not rows:
        return {}
    now = timezone.now()
    window = {
        "first": min(row["start"] for row in rows),
        "last": max(row["start"] for row in rows),
        "now": now,
    }
    by_date, by_series, taken = {}, {}, {}
    for kind, booking_id, series_id, places, waiting_list, *days in Prepared(
        Sheet, key=("calendar sheets and places taken",), build=_window, values=window
    ).rows():
        if kind == "taken":
            taken[booking_id] = places
            continue
        sheet = Sheet(**dict(zip(SHEET_FIELDS, (places, bool(waiting_list), *days), strict=True)))
        if booking_id:
            by_date[booking_id] = sheet
        else:
            by_series[series_id] = sheet
    badges = {}
    for row in rows:
        sheet = by_date.get(row["pk"]) or by_series.get(row.get("series_id"))
        if sheet is None:
            continue

        class _Date:
            start = row["start"]

        places = services.places(sheet, _Date, taken=taken.get(row["pk"]) or 0)
        state = places.state(now)
        css = "badge-places" if state == "open" else "badge-full"
        badges[row["pk"]] = f' <span class="badge {css}">{escape(label(places, state))}</span>'
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
