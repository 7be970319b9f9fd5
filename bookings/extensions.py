"""Where apps to the right of bookings add to what bookings does, without
bookings importing them (an app imports from apps to its left only).

- ``booking_written``: sent by every booking write with rules
  (``services.trail.audit``) after its last change, inside its transaction,
  with the bookings, the action (``AuditEntry.Action``), the changes shared by
  all of them and those of each (booking pk -> dict). Sign-ups listen for
  cancelled and moved dates.
- ``activity_sections``: callables ``(request, booking) -> str`` (safe HTML)
  whose parts the activity's page shows after its facts.
- ``calendar_badges``: callables ``(rows) -> {pk: str}`` (safe HTML) whose
  badge a calendar item gets; the page's rows are dicts with ``pk``, ``start``,
  ``series_id`` and ``visibility``. A source reads the rows' window rather
  than sending the database hundreds of ids.
- ``feed_places``: callables ``(queryset) -> {pk: dict}`` giving the places of
  the feed's bookings that take sign-ups ({"places", "left", "waiting_list",
  "state", "text"}); each runs one query for the whole feed. The feeds add
  them as they answer (`calendar.feeds.with_places`), never to the stored texts.
- ``booking_form_parts``: callables ``(user, data=None, initial=None) -> part``
  adding a group to the booking form. A part has ``form`` (a prefixed Django
  form), ``template`` (its ``<details>`` group, given ``part``), ``open``
  (shown open), ``is_valid(booking_data) -> bool`` (given the booking form's
  cleaned data) and ``save(*, bookings, series, by)``, called after the
  booking or series is written, inside its transaction: a ValidationError
  there undoes the booking and shows on the part's form."""

from django.dispatch import Signal

booking_written = Signal()

activity_sections: list = []
calendar_badges: list = []
feed_places: list = []
booking_form_parts: list = []


def form_parts(user, data=None, initial=None) -> list:
    return [part(user, data=data, initial=initial) for part in booking_form_parts]


def sections_for(request, booking) -> list[str]:
    return [section(request, booking) for section in activity_sections]


def badges_for(rows) -> dict[int, str]:
    """What the sources add to each of ``rows`` (dicts with ``pk``, ``start``,
    ``series_id`` and ``visibility``)."""
    badges: dict[int, str] = {}
    if not rows:
        return badges
    for source in calendar_badges:
        for pk, html in source(rows).items():
            badges[pk] = badges.get(pk, "") + html
    return badges


def places_for(queryset) -> dict[int, dict]:
    places: dict[int, dict] = {}
    for source in feed_places:
        places.update(source(queryset))
    return places
