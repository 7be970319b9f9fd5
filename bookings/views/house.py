"""The coordinators' pages that change the house: closed days, public
holidays, opening hours and a room out of use. They belong to bookings
because each first shows the bookings the change touches and what to do
with them (bookings.services.house); the house's own details stay in centre.

Every page works in two steps without JavaScript: the change's form, then,
if bookings are touched, the same form carried along in hidden fields with a
choice for each booking. A change that touches nothing is saved at once."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from centre import services as house_services
from centre.dates import check_date
from centre.forms import ClosedDayForm, OpeningHoursFormSet
from centre.models import ClosedDay, OpeningHours, public_holidays
from centre.permissions import coordinator_required

from ..models import Room
from ..services import house
from ..services.house import CANCEL, KEEP, MOVE, Change, Decision

DONE = "centre:house"


def _options(booking, offers) -> list[tuple[str, str]]:
    choices = [(CANCEL, _("Cancel it")), (KEEP, _("Keep it (override)"))]
    for index, offer in enumerate(offers):
        choices.append(
            (
                f"{MOVE}-{index}",
                _("Move to %(room)s, %(start)s–%(end)s")
                % {
                    "room": offer.room,
                    "start": f"{timezone.localtime(offer.start):%H:%M}",
                    "end": f"{timezone.localtime(offer.end):%H:%M}",
                },
            )
        )
    return choices


class ChoicesForm(forms.Form):
    """The second step's answers: one choice per booking (or "as for all"),
    the choice for all, the reason given, and the bookings that were shown."""

    all = forms.ChoiceField(choices=[(CANCEL, CANCEL), (KEEP, KEEP)], required=False)
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, data, touched, offers):
        super().__init__(data)
        self.touched, self.offers = touched, offers
        for booking in touched:
            values = [CANCEL, KEEP, *(f"{MOVE}-{i}" for i in range(len(offers[booking.pk])))]
            self.fields[f"choice-{booking.pk}"] = forms.ChoiceField(
                choices=[("", "")] + [(v, v) for v in values], required=False
            )

    def seen(self) -> list[int]:
        return [int(pk) for pk in self.data.getlist("seen") if pk.isdigit() and len(pk) < 12]

    def decisions(self) -> dict[int, Decision]:
        """Each booking's choice: its own, or the one for all."""
        reason = self.cleaned_data["reason"].strip()
        if reason == _("the house is closed"):
            reason = ""  # the default: each mail and page says it in its reader's language
        for_all = self.cleaned_data["all"] or CANCEL
        chosen = {}
        for booking in self.touched:
            value = self.cleaned_data.get(f"choice-{booking.pk}") or for_all
            if value == CANCEL:
                chosen[booking.pk] = Decision(CANCEL, reason=reason)
            elif value == KEEP:
                chosen[booking.pk] = Decision(KEEP)
            else:
                chosen[booking.pk] = self.offers[booking.pk][int(value.split("-")[1])]
        return chosen


def decide(request, change: Change, *, save, form_template: str, context: dict, title: str):
    """The second step shared by every page: show the touched bookings, or
    save at once when there are none; then apply the choices."""
    touched = house.affected(change)
    if not touched:
        save()
        return None
    offers = house.free_moves(change, touched)
    error = None
    if request.POST.get("decide"):
        answers = ChoicesForm(request.POST, touched, offers)
        try:
            if not answers.is_valid():
                raise ValidationError([m for e in answers.errors.values() for m in e])
            figures = house.apply(change, answers.decisions(), by=request.user, seen=answers.seen())
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                _(
                    "Saved. Bookings cancelled: %(cancelled)s, moved: %(moved)s, kept: "
                    "%(kept)s; their actors are told."
                )
                % figures,
            )
            return redirect(DONE)
        touched = house.affected(change)
        offers = house.free_moves(change, touched)
    rows = [
        {
            "booking": booking,
            "choices": _options(booking, offers[booking.pk]),
            "chosen": request.POST.get(f"choice-{booking.pk}", ""),
        }
        for booking in touched
    ]
    return render(
        request,
        "bookings/house_change.html",
        {
            **context,
            "form_template": form_template,
            "title": title,
            "rows": rows,
            "error": error,
            "reason": request.POST.get("reason") or _("the house is closed"),
            "actors": len({b.actor_id for b in touched}),
        },
    )


@coordinator_required
def closedday_edit(request, pk=None):
    closed_day = get_object_or_404(ClosedDay, pk=pk) if pk else ClosedDay()
    was_observed = bool(pk) and closed_day.observed
    form = ClosedDayForm(request.POST or None, instance=closed_day)
    if request.method == "POST" and form.is_valid():
        day = form.instance

        def save():
            house_services.closed_day_save(closed_day=day)

        try:
            answer = decide(
                request,
                Change(closed_days=[day]),
                save=save,
                form_template="bookings/house_change_closed_day.html",
                context={"form": form, "closed_day": closed_day},
                title=_("Close %(day)s") % {"day": day.date},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if answer is not None:
                return answer
            messages.success(request, _("The closed day is saved."))
            if was_observed and not day.observed:
                return _offer_restore(day.date)
            return redirect(DONE)
    return render(request, "centre/closedday_form.html", {"form": form, "closed_day": closed_day})


def _offer_restore(day: datetime.date):
    if house.restorable(day):
        return redirect("bookings:closedday-restore", day=day.isoformat())
    return redirect(DONE)


@require_POST
@coordinator_required
def closedday_delete(request, pk):
    closed_day = get_object_or_404(ClosedDay, pk=pk)
    try:
        house_services.closed_day_delete(closed_day=closed_day)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(DONE)
    messages.success(request, _("The closed day is deleted."))
    return _offer_restore(closed_day.date)


@coordinator_required
def closedday_restore(request, day):
    """The house is open again on ``day``: book the dates its closing cancelled again."""
    try:
        date = forms.DateField().clean(day)
        check_date(date)
    except ValidationError as error:
        raise Http404(_("No such date.")) from error
    if ClosedDay.objects.observed().filter(date=date).exists():
        messages.error(request, _("The house is still closed that day."))
        return redirect(DONE)
    dates = house.restorable(date)
    if request.method == "POST" and dates:
        restored, taken = house.restore(dates, by=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)s date is booked again; its actor is told.",
                "%(count)s dates are booked again; their actors are told.",
                len(restored),
            )
            % {"count": len(restored)},
        )
        if taken:
            messages.warning(
                request,
                ngettext(
                    "%(count)s date could not be booked again: the room is taken.",
                    "%(count)s dates could not be booked again: the room is taken.",
                    len(taken),
                )
                % {"count": len(taken)},
            )
        return redirect(DONE)
    return render(request, "bookings/closedday_restore.html", {"day": date, "dates": dates})


@require_POST
@coordinator_required
def holidays_fill(request):
    year = timezone.localdate().year
    existing = set(ClosedDay.objects.values_list("date", flat=True))
    new_days = [
        ClosedDay(date=day, name=name, source=ClosedDay.Source.PUBLIC_HOLIDAY)
        for year_ in (year, year + 1)
        for day, name in sorted(public_holidays(year_, "da").items())
        if day not in existing
    ]
    created = []

    def save():
        created.append(house_services.public_holidays_fill(years=[year, year + 1]))

    answer = decide(
        request,
        Change(closed_days=new_days),
        save=save,
        form_template="",
        context={},
        title=_("Fill in public holidays"),
    )
    if answer is not None:
        return answer
    messages.success(
        request,
        _("Public holidays for %(first)s and %(second)s are filled in (%(count)s new).")
        % {"first": year, "second": year + 1, "count": created[0] if created else len(new_days)},
    )
    return redirect(DONE)


@coordinator_required
def hours_edit(request):
    formset = OpeningHoursFormSet(request.POST or None, queryset=OpeningHours.objects.all())
    if request.method == "POST" and formset.is_valid():
        rows = [
            (form.cleaned_data["weekday"], form.cleaned_data["opens"], form.cleaned_data["closes"])
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            house_services.check_hours(rows)
            answer = decide(
                request,
                Change(hours=rows),
                save=lambda: house_services.opening_hours_replace(rows=rows),
                form_template="bookings/house_change_hours.html",
                context={"formset": formset},
                title=_("Change the opening hours"),
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            if answer is not None:
                return answer
            messages.success(request, _("The opening hours are saved."))
            return redirect(DONE)
    return render(request, "centre/hours_form.html", {"formset": formset})


@coordinator_required
def room_out_of_use(request, slug):
    """Take a room out of use, deciding first for its coming bookings."""
    room = get_object_or_404(Room, slug=slug)
    if not room.is_active:
        messages.info(request, _("%(room)s is out of use already.") % {"room": room})
        return redirect("bookings:room-detail", slug=room.slug)
    if request.method != "POST":
        touched = house.affected(Change(room=room))
        return render(
            request, "bookings/room_out_of_use.html", {"room": room, "count": len(touched)}
        )

    def save():
        Room.objects.filter(pk=room.pk).update(is_active=False)

    answer = decide(
        request,
        Change(room=room),
        save=save,
        form_template="",
        context={"room": room},
        title=_("Take %(room)s out of use") % {"room": room},
    )
    if answer is not None:
        return answer
    messages.success(request, _("%(room)s is out of use.") % {"room": room})
    return redirect("bookings:room-detail", slug=room.slug)
