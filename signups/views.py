"""The sign-up pages: a resident's sign-up, confirmation and cancellation
(without an account: the token in the mail is the key), and the activity's
own pages for its people (the list, the desk, the settings, who came)."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bookings.models import Booking, Visibility
from centre.forms import add_service_error

from . import services
from .forms import AttendanceForm, DeskForm, SheetForm, SignUpForm
from .models import Attendance, Sheet, SignUp

# allauth's rate limits (centre/settings.py, ACCOUNT_RATE_LIMITS): counted in
# the cache, a database table shared by every process, per client address
# (as allauth reads it, see centre/settings.py) and per e-mail address.
RATE_ACTION = "activity_signup"


def _public_booking(pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("room", "actor"), pk=pk, visibility=Visibility.PUBLIC
    )


def signup(request, pk: int):
    """A resident's sign-up for one date, posted from the activity's page."""
    booking = _public_booking(pk)
    sheet = services.sheet_for(booking)
    if sheet is None:
        raise Http404
    if request.method != "POST":
        shown = services.places(sheet, booking)
        context = {"booking": booking, "sheet": sheet, "places": shown, "state": shown.state()}
        context["refusal"] = services.refusal(context["state"], booking, sheet)
        context["form"] = SignUpForm(sheet=sheet)
        return render(request, "signups/signup.html", context)
    form = SignUpForm(request.POST, sheet=sheet)
    status = 200
    if form.is_valid():
        if form.is_bot():
            # Answered as a sign-up is: a bot learns nothing.
            return render(request, "signups/check_mail.html", {"booking": booking})
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.consume(request, action=RATE_ACTION, key=email):
            form.add_error(
                None,
                _("Too many sign-ups from here or for this address. Try again in an hour."),
            )
            status = 429
        else:
            try:
                services.sign_up(
                    booking=booking,
                    name=form.cleaned_data["name"],
                    email=email,
                    people=form.cleaned_data["people"],
                    note=form.cleaned_data["note"],
                    language=translation.get_language() or "da",
                )
            except ValidationError as error:
                add_service_error(form, error)
                status = 400
            else:
                return render(request, "signups/check_mail.html", {"booking": booking})
    else:
        status = 400
    shown = services.places(sheet, booking)
    context = {"booking": booking, "sheet": sheet, "form": form, "places": shown}
    return render(
        request, "signups/signup.html", {**context, "state": shown.state()}, status=status
    )


def _by_token(token: str) -> SignUp:
    signup = (
        SignUp.objects.select_related("booking__room", "booking__actor")
        .filter(token=token, erased=False)
        .first()
    )
    if signup is None:
        raise Http404
    return signup


def confirm(request, token: str):
    """The link in the first mail: GET shows the button (a mail scanner that
    opens links confirms nothing), POST confirms."""
    signup = _by_token(token)
    problem = None
    if request.method == "POST":
        try:
            signup = services.confirm(token)
        except ValidationError as error:
            problem = " ".join(error.messages)
            signup.refresh_from_db()
        else:
            return redirect("signups:cancel", token=token)
    return render(
        request, "signups/confirm.html", {"signup": signup, "problem": problem}, status=200
    )


def cancel(request, token: str):
    """The person's own page: what they signed up for, and cancelling it."""
    signup = _by_token(token)
    if request.method == "POST":
        signup = services.cancel(signup)
        messages.success(request, _("Your sign-up is cancelled."))
        return redirect("signups:cancel", token=token)
    return render(request, "signups/mine.html", {"signup": signup})


def _managed(request, pk: int) -> Booking:
    booking = get_object_or_404(Booking.objects.select_related("room", "actor", "series"), pk=pk)
    if not services.can_manage(request.user, booking):
        raise Http404
    return booking


def _list_context(booking: Booking, **extra) -> dict:
    sheet = services.sheet_for(booking)
    rows = list(SignUp.objects.filter(booking=booking).order_by("created", "pk"))
    attendance = Attendance.objects.filter(booking=booking).first()
    context = {
        "booking": booking,
        "sheet": sheet,
        "signups": rows,
        "places": services.places(sheet, booking) if sheet else None,
        "attendance": attendance,
        "sheet_form": SheetForm(instance=sheet, booking=booking)
        if sheet
        else SheetForm(booking=booking, initial={"places": booking.room.capacity}),
        "desk_form": DeskForm(),
        "attendance_form": AttendanceForm(
            signups=SignUp.objects.filter(booking=booking),
            initial={
                "total": attendance.total if attendance else None,
                "children": attendance.children if attendance else None,
                "young": attendance.young if attendance else None,
                "adults": attendance.adults if attendance else None,
                "seniors": attendance.seniors if attendance else None,
                "came": [s.pk for s in rows if s.attended],
            },
        ),
    }
    context.update(extra)
    return context


@require_safe
@login_required
def date_list(request, pk: int):
    """Who signed up for one date, for the activity's people and coordinators."""
    booking = _managed(request, pk)
    return render(request, "signups/list.html", _list_context(booking))


@require_POST
@login_required
def desk(request, pk: int):
    booking = _managed(request, pk)
    form = DeskForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_at_desk(booking=booking, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is signed up.") % {"name": added.name}
                if added.status == SignUp.Status.CONFIRMED
                else _("%(name)s is on the waiting list.") % {"name": added.name},
            )
            return redirect("signups:list", pk=booking.pk)
    return render(request, "signups/list.html", _list_context(booking, desk_form=form), status=400)


@require_POST
@login_required
def settings_save(request, pk: int):
    booking = _managed(request, pk)
    sheet = services.sheet_for(booking)
    form = SheetForm(request.POST, instance=sheet or Sheet(), booking=booking)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in SheetForm.Meta.fields}
        try:
            services.sheet_save(
                booking=booking,
                by=request.user,
                whole_series=form.cleaned_data.get("whole_series", False),
                **fields,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The sign-up settings are saved."))
            return redirect("signups:list", pk=booking.pk)
    return render(request, "signups/list.html", _list_context(booking, sheet_form=form), status=400)


@require_POST
@login_required
def attendance(request, pk: int):
    booking = _managed(request, pk)
    form = AttendanceForm(request.POST, signups=SignUp.objects.filter(booking=booking))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_attendance(
                booking=booking,
                by=request.user,
                total=data["total"],
                ticked=[s.pk for s in data["came"]],
                children=data["children"],
                young=data["young"],
                adults=data["adults"],
                seniors=data["seniors"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Attendance is saved."))
            return redirect("signups:list", pk=booking.pk)
    return render(
        request, "signups/list.html", _list_context(booking, attendance_form=form), status=400
    )


@require_POST
@login_required
def entry_cancel(request, pk: int):
    signup = get_object_or_404(SignUp.objects.select_related("booking"), pk=pk)
    if not services.can_manage(request.user, signup.booking):
        raise Http404
    services.cancel(signup, by=request.user)
    messages.success(request, _("The sign-up is cancelled."))
    return redirect("signups:list", pk=signup.booking_id)
