"""Every sign-up write: ask for a place, confirm an address, cancel, add
someone at the desk, promote the waiting list, set a date's sheet, record
attendance. What time and changed dates do to sign-ups is in upkeep.py.

Places are never oversold: every write that takes or frees a place runs in
one transaction that first locks the date's `Sheet` row (select_for_update;
on SQLite the whole database is locked by the write transaction), so two
people asking for the last place are served one after the other and the
second finds it taken."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.selectors import acts_for
from bookings.models import Booking
from bookings.models import Status as BookingStatus
from centre import links
from centre.outbox import enqueue_on_commit

from .models import HOLD_MINUTES, Attendance, Sheet, SignUp

S = SignUp.Status


def sheet_for(booking: Booking) -> Sheet | None:
    """The date's own settings, else its series'."""
    condition = Q(booking_id=booking.pk)
    if booking.series_id:
        condition |= Q(series_id=booking.series_id)
    found = sorted(Sheet.objects.filter(condition), key=lambda s: s.booking_id is None)
    return found[0] if found else None


def can_manage(user, booking: Booking) -> bool:
    """The sign-up list, the desk, the settings and attendance of a date:
    the people of its actor and coordinators."""
    return acts_for(user, booking.actor)


def _taken(booking_id: int, now=None) -> int:
    now = now or timezone.now()
    return (
        SignUp.objects.filter(booking_id=booking_id)
        .filter(Q(status=S.CONFIRMED) | Q(status=S.HELD, held_until__gt=now))
        .aggregate(n=Sum("people"))["n"]
        or 0
    )


@dataclass(frozen=True)
class Places:
    """What a date shows before anyone types."""

    places: int
    taken: int
    waiting_list: bool
    opens: datetime.datetime | None
    closes: datetime.datetime

    @property
    def left(self) -> int:
        return max(0, self.places - self.taken)

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.opens and now < self.opens:
            return "not-open"
        if now >= self.closes:
            return "closed"
        if self.left:
            return "open"
        return "waiting" if self.waiting_list else "full"


def window(sheet: Sheet, booking: Booking) -> tuple[datetime.datetime | None, datetime.datetime]:
    opens = (
        booking.start - datetime.timedelta(days=sheet.opens_days_before)
        if sheet.opens_days_before is not None
        else None
    )
    return opens, booking.start - datetime.timedelta(hours=sheet.closes_hours_before)


def places(sheet: Sheet, booking: Booking, taken: int | None = None) -> Places:
    opens, closes = window(sheet, booking)
    return Places(
        places=sheet.places,
        taken=_taken(booking.pk) if taken is None else taken,
        waiting_list=sheet.waiting_list,
        opens=opens,
        closes=closes,
    )


def refusal(state: str, booking: Booking, sheet: Sheet) -> str | None:
    if booking.status != BookingStatus.CONFIRMED:
        return _("This date is cancelled: there is nothing to sign up for.")
    if state == "not-open":
        opens, _closes = window(sheet, booking)
        return _("Sign-up opens %(when)s.") % {
            "when": timezone.localtime(opens).strftime("%d.%m.%Y %H:%M")
        }
    if state == "closed":
        return _("Sign-up for this date has closed.")
    if state == "full":
        return _("This date is full, and it keeps no waiting list.")
    return None


def enqueue(task, *args):
    """Send ``task`` once the transaction commits, with the address the site was asked at."""
    enqueue_on_commit(task, *args, base_url=links.current_base_url())


@transaction.atomic
def sign_up(
    *,
    booking: Booking,
    name: str,
    email: str,
    people: int,
    note: str = "",
    language: str = "da",
) -> SignUp | None:
    """A resident asks for a place. The place is held for HOLD_MINUTES until
    the address is confirmed (or they go on the waiting list when the date is
    full and keeps one). The same address signing up again for the same date
    is only mailed its existing sign-up (returns None): the answer on the page
    is the same, so no one learns who else signed up."""
    from . import tasks

    sheet = sheet_for(booking)
    if sheet is None:
        raise ValidationError(_("This activity takes no sign-ups."))
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    booking = Booking.objects.get(pk=booking.pk)
    if people < 1 or people > sheet.per_person:
        raise ValidationError(
            {
                "people": _("Sign up for 1 to %(count)s people at a time.")
                % {"count": sheet.per_person}
            }
        )
    now = timezone.now()
    state = places(sheet, booking).state(now)
    refused = refusal(state, booking, sheet)
    if refused:
        raise ValidationError(refused)
    email = email.strip().lower()
    existing = (
        SignUp.objects.filter(booking=booking, email=email)
        .filter(Q(status__in=[S.CONFIRMED, S.WAITING]) | Q(status=S.HELD, held_until__gt=now))
        .first()
    )
    if existing is not None:
        enqueue(tasks.mail_signup, existing.pk, "again")
        return None
    left = sheet.places - _taken(booking.pk, now)
    if people <= left:
        status, held_until = S.HELD, now + datetime.timedelta(minutes=HOLD_MINUTES)
    elif sheet.waiting_list:
        status, held_until = S.WAITING, None
    else:
        raise ValidationError(
            {
                "people": ngettext(
                    "Only %(left)s place is left.", "Only %(left)s places are left.", left
                )
                % {"left": left}
                if left
                else _("This date is full, and it keeps no waiting list.")
            }
        )
    signup = SignUp.objects.create(
        sheet=sheet,
        booking=booking,
        name=name.strip(),
        email=email,
        people=people,
        note=note.strip(),
        status=status,
        held_until=held_until,
        language=language,
    )
    enqueue(tasks.mail_signup, signup.pk, "confirm")
    return signup


@transaction.atomic
def confirm(token: str) -> SignUp:
    """The address is confirmed by the link in the mail. A held place becomes
    the person's; a lapsed hold gets a place if one is still free, or the
    waiting list; a waiting sign-up stays on the list, now with a confirmed
    address (and is promoted at once if a place is free)."""
    from . import tasks

    signup = SignUp.objects.filter(token=token).select_related("booking").first()
    if signup is None or signup.erased:
        raise ValidationError(_("This link is not valid (any more)."))
    sheet = Sheet.objects.select_for_update().get(pk=signup.sheet_id)
    signup = SignUp.objects.select_related("booking").get(pk=signup.pk)
    if signup.status == S.CANCELLED:
        raise ValidationError(_("This sign-up was cancelled. Sign up again if there is room."))
    if signup.booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(_("This date is cancelled: there is nothing to sign up for."))
    if signup.status == S.CONFIRMED or (signup.status == S.WAITING and signup.confirmed_at):
        return signup  # a second click changes nothing
    now = timezone.now()
    signup.confirmed_at = now
    if signup.status == S.HELD:
        lapsed = signup.held_until is None or signup.held_until <= now
        if not lapsed or signup.people <= sheet.places - _taken(signup.booking_id, now):
            signup.status = S.CONFIRMED
        elif sheet.waiting_list:
            signup.status = S.WAITING
        else:
            signup.status = S.CANCELLED
            signup.cancelled_at = now
            signup.save()
            raise ValidationError(
                _("The place was held for %(minutes)s minutes and has gone to someone else.")
                % {"minutes": HOLD_MINUTES}
            )
        signup.held_until = None
    signup.save()
    if signup.status == S.CONFIRMED:
        enqueue(tasks.mail_signup, signup.pk, "confirmed")
    else:
        promote(sheet, signup.booking)
        signup.refresh_from_db()
    return signup


def promote(sheet: Sheet, booking: Booking) -> list[SignUp]:
    """Give free places to the waiting list, first come first served (a
    sign-up too big for what is free is passed over, not the others); each
    promoted person is mailed in their language. The caller holds the lock."""
    from . import tasks

    if booking.status != BookingStatus.CONFIRMED or booking.start <= timezone.now():
        return []
    left = sheet.places - _taken(booking.pk)
    promoted = []
    for signup in SignUp.objects.filter(
        booking=booking, status=S.WAITING, confirmed_at__isnull=False
    ).order_by("created", "pk"):
        if left <= 0:
            break
        if signup.people <= left:
            signup.status = S.CONFIRMED
            signup.save(update_fields=["status"])
            left -= signup.people
            promoted.append(signup)
            if signup.email:
                enqueue(tasks.mail_signup, signup.pk, "promoted")
    return promoted


@transaction.atomic
def cancel(signup: SignUp, *, by=None) -> SignUp:
    """Cancel a sign-up (the person by their link, or the activity's people
    at the desk); the first on the waiting list gets the place at once."""
    if by is not None and not can_manage(by, signup.booking):
        raise ValidationError(_("Only the activity's people can change its sign-ups."))
    sheet = Sheet.objects.select_for_update().get(pk=signup.sheet_id)
    signup = SignUp.objects.select_related("booking").get(pk=signup.pk)
    if signup.status == S.CANCELLED:
        return signup
    signup.status = S.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.held_until = None
    signup.save()
    promote(sheet, signup.booking)
    return signup


@transaction.atomic
def add_at_desk(*, booking: Booking, by, name: str, phone="", email="", people=1, note=""):
    """A member or coordinator adds someone by name and phone (many
    residents have no e-mail): signed up at once, or on the waiting list."""
    if not can_manage(by, booking):
        raise ValidationError(_("Only the activity's people can change its sign-ups."))
    sheet = sheet_for(booking)
    if sheet is None:
        raise ValidationError(_("This activity takes no sign-ups."))
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    booking = Booking.objects.get(pk=booking.pk)
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(_("This date is cancelled: there is nothing to sign up for."))
    if people < 1 or people > sheet.per_person:
        raise ValidationError(
            {
                "people": _("Sign up for 1 to %(count)s people at a time.")
                % {"count": sheet.per_person}
            }
        )
    left = sheet.places - _taken(booking.pk)
    if people <= left:
        status = S.CONFIRMED
    elif sheet.waiting_list:
        status = S.WAITING
    else:
        raise ValidationError(_("This date is full, and it keeps no waiting list."))
    return SignUp.objects.create(
        sheet=sheet,
        booking=booking,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip().lower(),
        people=people,
        note=note.strip(),
        status=status,
        confirmed_at=timezone.now(),
        at_desk=True,
        language=by.language if hasattr(by, "language") else "da",
    )


def places_error(room, places: int) -> str | None:
    """Places are at most the room's capacity."""
    if places > room.capacity:
        return _("%(room)s holds %(capacity)s people: offer at most that many places.") % {
            "room": room.name,
            "capacity": room.capacity,
        }
    return None


@transaction.atomic
def sheet_save(*, booking: Booking, by, whole_series: bool, **fields) -> Sheet:
    """Take sign-ups for one date or every date of its series. Places are
    at most the room's capacity."""
    if not can_manage(by, booking):
        raise ValidationError(_("Only the activity's people can change its sign-ups."))
    if problem := places_error(booking.room, fields["places"]):
        raise ValidationError({"places": problem})
    if whole_series and booking.series_id:
        sheet, _created = Sheet.objects.update_or_create(
            series_id=booking.series_id, defaults=fields
        )
        own = Sheet.objects.filter(booking=booking).first()
        if own is not None and not own.signups.exists():
            own.delete()
    else:
        sheet, _created = Sheet.objects.update_or_create(booking=booking, defaults=fields)
    # More places may let the waiting list in.
    locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
    for date in Booking.objects.filter(signups__sheet=locked).distinct():
        promote(locked, date)
    return sheet


@transaction.atomic
def record_attendance(*, booking: Booking, by, total: int, ticked=(), **bands) -> Attendance:
    """How many came (optionally from the ticked sign-ups) and by age band."""
    if not can_manage(by, booking):
        raise ValidationError(_("Only the activity's people can record who came."))
    if booking.start > timezone.now():
        raise ValidationError(_("Record who came after the activity has started."))
    ticked = set(ticked)
    rows = SignUp.objects.filter(booking=booking)
    rows.update(attended=False)
    rows.filter(pk__in=ticked).update(attended=True)
    banded = [value for value in bands.values() if value is not None]
    if banded and sum(banded) > total:
        raise ValidationError(_("The age bands add up to more than the number who came."))
    attendance, _created = Attendance.objects.update_or_create(
        booking=booking, defaults={"total": total, "recorded_by": by, **bands}
    )
    return attendance
