"""The "Take sign-ups" group of the booking form (bookings.extensions.
booking_form_parts): the same settings as a date's sign-up page, checked by
the same form (SheetForm) and saved by the same service (services.sheet_save)
right after the booking or series is written, in its transaction. A series
takes sign-ups for every date; one date's settings change on its sign-up page."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from bookings.models import Visibility

from . import services
from .forms import SheetForm
from .models import Sheet

PREFIX = "signups"


class BookingSheetForm(SheetForm):
    take = forms.BooleanField(label=_("Take sign-ups"), required=False)

    field_order = ["take", *SheetForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, booking=None, prefix=PREFIX, **kwargs)

    def taking(self) -> bool:
        field = self.fields["take"]
        if not self.is_bound:
            return bool(self.initial.get("take"))
        return field.clean(field.widget.value_from_datadict(self.data, self.files, "signups-take"))

    def full_clean(self):
        if self.is_bound and not self.taking():
            # Without sign-ups the rest of the group is not read.
            self._errors = ErrorDict()
            self.cleaned_data = {"take": False}
            return
        super().full_clean()


class SignupsPart:
    template = "signups/_booking_part.html"

    def __init__(self, user, data=None, initial=None):
        self.user = user
        self.form = BookingSheetForm(data, instance=Sheet(), initial=initial)

    @property
    def open(self) -> bool:
        return bool(self.form.errors) or self.form.taking()

    def is_valid(self, booking_data: dict) -> bool:
        if not self.form.is_valid():
            return False
        if not self.form.cleaned_data["take"]:
            return True
        if booking_data.get("visibility", Visibility.PUBLIC) != Visibility.PUBLIC:
            self.form.add_error(
                "take", _("An internal activity takes no sign-ups: make it public, or untick this.")
            )
        room = booking_data.get("room")
        if room is not None and (
            problem := services.places_error(room, self.form.cleaned_data["places"])
        ):
            self.form.add_error("places", problem)
        return not self.form.errors

    def save(self, *, bookings, series, by) -> None:
        if not self.form.cleaned_data.get("take"):
            return
        fields = {name: self.form.cleaned_data[name] for name in SheetForm.Meta.fields}
        services.sheet_save(booking=bookings[0], by=by, whole_series=series is not None, **fields)
