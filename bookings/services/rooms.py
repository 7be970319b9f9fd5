"""Rooms as a coordinator keeps them: their parts, buffer, facilities and who
may book them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centre.roles import is_coordinator

from ..models import Room


@transaction.atomic
def room_save(*, room: Room, by, facilities=(), allowed_actors=(), parts=(), **fields) -> Room:
    """Save a room with its relations in one transaction. Changing parts or the
    buffer applies to bookings made from now on."""
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators manage rooms."))
    if "is_active" in fields and not fields["is_active"] and room.pk:
        # Taking a room out of use decides first for its coming bookings (house.py).
        from .house import Change, affected

        was_active = Room.objects.filter(pk=room.pk, is_active=True).exists()
        count = len(affected(Change(room=Room.objects.get(pk=room.pk)))) if was_active else 0
        if count:
            raise ValidationError(
                {
                    "is_active": ngettext(
                        "%(count)s coming booking is in this room. Take it out of use "
                        "with “Take out of use” on its page, which lets you cancel, move or "
                        "keep it first.",
                        "%(count)s coming bookings are in this room. Take it out of use "
                        "with “Take out of use” on its page, which lets you cancel, move or "
                        "keep them first.",
                        count,
                    )
                    % {"count": count}
                }
            )
    # save_form_data knows each field's conventions (a cleared photo is False).
    for name, value in fields.items():
        room._meta.get_field(name).save_form_data(room, value)
    room.full_clean()
    room.save()
    room.facilities.set(facilities)
    room.allowed_actors.set(allowed_actors)
    room.parts.set(parts)
    return room
