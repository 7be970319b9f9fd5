"""Book a room, once or as a series: room and time first, the free times of
that day as buttons, the repeat in plain words with a preview of its dates,
and the groups other apps add (bookings.extensions.booking_form_parts).

The buttons that only look (free times, a free time chosen, the dates) post
the form back and show it again as it was typed, without its errors; with
htmx the free times and the dates are fetched as the fields change."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from centre.forms import add_service_error, bad_query
from centre.roles import is_coordinator

from .. import extensions, parallel, permissions, selectors, services
from ..calendar.views import describe_rule
from ..filters import BookingStartForm
from ..forms import BookingForm, LookForm, raw_values, repeat_rule
from ..models import Status
from ..services.series import series_preview


class _PartRefused(Exception):
    def __init__(self, part, error):
        self.part, self.error = part, error


@login_required
def booking_create(request):
    actors = permissions.bookable_actors(request.user)
    if not actors.exists():
        raise PermissionDenied
    coordinator = is_coordinator(request.user)
    start = BookingStartForm(request.GET)
    if not start.is_valid():
        return bad_query(request, start)
    initial = start.booking_initial()
    if actors.count() == 1:
        initial["actor"] = actors.first()
    data = request.POST or None
    look = LookForm(data)
    form = BookingForm(data, user=request.user, coordinator=coordinator, initial=initial)
    parts = extensions.form_parts(request.user, data=data)
    known = dict(initial)
    clashes = None
    if data is not None and look.asked():
        # Only looking: the form again as typed, without its errors.
        form.is_valid()
        known = dict(form.cleaned_data)
        typed = raw_values(form)
        if times := look.times():
            known["start_time"], known["end_time"] = times
            typed["start_time"], typed["end_time"] = (f"{t:%H:%M}" for t in times)
        form = BookingForm(user=request.user, coordinator=coordinator, initial=typed)
        parts = [
            factory(request.user, initial=raw_values(part.form))
            for factory, part in zip(extensions.booking_form_parts, parts, strict=True)
        ]
        if request.htmx and look.cleaned_data["look"]:
            return _fragment(request, look.cleaned_data["look"], known)
    elif data is not None:
        # Every part is checked, so all their errors show at once.
        checked = [form.is_valid()] + [part.is_valid(form.cleaned_data) for part in parts]
        valid = all(checked)
        known = dict(form.cleaned_data)
        if valid:
            try:
                booking = _book(request, form, parts)
            except services.SeriesClash as clash:
                clashes = [
                    (slot, services.describe_for(other, request.user))
                    for slot, other in clash.clashes
                ]
                form.add_error(None, clash)
            except _PartRefused as refused:
                add_service_error(refused.part.form, refused.error)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return _booked(request, booking)
    context = {
        "form": form,
        "clashes": clashes,
        "parts": parts,
        "parts_errors": any(part.form.errors for part in parts),
    }
    context.update(_looks(request, known))
    return render(request, "bookings/booking_form.html", context)


def _book(request, form, parts):
    """The booking or series and what the parts add to it, in one transaction."""
    data = form.cleaned_data
    common = {
        "by": request.user,
        "room": data["room"],
        "actor": data["actor"],
        "title": data["title"],
        "description": data["description"],
        "visibility": data["visibility"],
        "target_groups": list(data["target_groups"]),
        "languages": list(data["languages"]),
        "themes": list(data["themes"]),
        "open_to_whole_city": data["open_to_whole_city"],
        "expected_participants": data["expected_participants"],
        "override": data.get("override", False),
    }
    with transaction.atomic():
        series = None
        if rule := form.rule():
            series = services.series_request(
                rule=rule,
                first_day=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                until=data["until"],
                skip_closed_days=data["skip_closed_days"],
                book_rest=data["book_rest"],
                **common,
            )
            bookings = list(series.occurrences.order_by("start"))
        else:
            bookings = [services.booking_request(start=form.start(), end=form.end(), **common)]
        if bookings:
            for part in parts:
                try:
                    part.save(bookings=bookings, series=series, by=request.user)
                except ValidationError as error:
                    raise _PartRefused(part, error) from error
    return bookings[0] if bookings else None


def _booked(request, booking):
    if booking is None:
        messages.warning(request, _("No dates were left to book."))
        return redirect("bookings:my-bookings")
    if booking.status == Status.CONFIRMED:
        messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
    else:
        messages.success(
            request,
            _("Requested: %(booking)s. A coordinator will approve or decline it.")
            % {"booking": booking},
        )
    if parallel.for_booking(booking):
        messages.info(
            request,
            _(
                "Other actors hold public activities for the same target groups that day. "
                "This does not affect your booking: see the list on this page and consider "
                "coordinating with them."
            ),
        )
    return redirect("bookings:booking-detail", pk=booking.pk)


def _looks(request, known: dict) -> dict:
    """The free times of the chosen room and day, and the dates of the series."""
    room, day = known.get("room"), known.get("date")
    looks = {"slots": None, "slots_asked": bool(room and day), "preview": None}
    if room and day and isinstance(day, datetime.date):
        looks["slots"] = selectors.free_on(room, day, request.user)
    start, end, repeat = known.get("start_time"), known.get("end_time"), known.get("repeat")
    if room and day and start and end and start < end and repeat and repeat != "none":
        rule = repeat_rule(day, repeat)
        until = known.get("until")
        try:
            dates = series_preview(
                room=room,
                rule=rule,
                first_day=day,
                start_time=start,
                end_time=end,
                until=until,
                skip_closed_days=known.get("skip_closed_days", True),
                user=request.user,
            )
        except ValidationError:
            dates = []
        looks["preview"] = {
            "words": _plain_words(rule, day, start, end, until, dates),
            "book": [d for d in dates if d.kind == "book"],
            "left_out": [d for d in dates if d.kind != "book"],
        }
    return looks


def _plain_words(rule, day, start, end, until, dates) -> str:
    """E.g. "Every Tuesday 17:00-19:00, from 6 January 2027 until 30 June 2027"."""
    words = {
        "rule": describe_rule(rule, day),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "first": formats.date_format(day, "DATE_FORMAT"),
    }
    last = until or (timezone.localdate(dates[-1].start) if dates else None)
    if until:
        words["last"] = formats.date_format(last, "DATE_FORMAT")
        return _("%(rule)s %(start)s–%(end)s, from %(first)s until %(last)s") % words
    if last:
        words["last"] = formats.date_format(last, "DATE_FORMAT")
        return (
            _(
                "%(rule)s %(start)s–%(end)s, from %(first)s as far ahead as the house allows (%(last)s)"
            )
            % words
        )
    return _("%(rule)s %(start)s–%(end)s, from %(first)s") % words


def _fragment(request, which: str, known: dict):
    template = "bookings/_free_slots.html" if which == "slots" else "bookings/_series_preview.html"
    return render(request, template, _looks(request, known))
