"""The public face of the bookings: the front page, the activity calendar,
an activity's page and the feeds."""

import datetime

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from actors.models import TargetGroup
from centre import links
from centre.selectors import aware, house_status

from .. import extensions
from ..models import AuditEntry, Booking, Status
from . import feeds, texts
from .fetch import fetch
from .query import (
    CALENDAR_FIELDS,
    FEED_AHEAD,
    ROW_FIELDS,
    CalendarQuery,
    asked_language,
    feed_window,
    occurrences,
    visible,
)
from .render import by_day, day_sections, decorate, items, month_weeks

ICS_TYPE = "text/calendar; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
FEED_MAX_AGE = 15 * 60


def _period_title(period) -> str:
    if period.view == "month":
        return capfirst(date_format(period.day, "F Y"))
    last = period.last - datetime.timedelta(days=1)
    span = f"{formats.date_format(period.first, 'MONTH_DAY_FORMAT')} – {formats.date_format(last, 'DATE_FORMAT')}"
    if period.view == "week":
        return _("Week %(number)s, %(dates)s") % {
            "number": period.first.isocalendar().week,
            "dates": span,
        }
    return span


def _filter_labels(query: CalendarQuery) -> list[str]:
    labels = []
    for name, value in query.filters.items():
        field = query.form.fields[name]
        if value is True:
            labels.append(str(field.label))
        else:
            labels.append(str(dict(query.form.choices.get(name, ())).get(value, value)))
    return labels


def _calendar_context(request, embed: bool) -> dict:
    """What the calendar region (bookings/_calendar.html) shows, and the few
    values the page around it needs."""
    query = CalendarQuery.from_request(request)
    period = query.period
    # An embedded calendar is shown on other sites: always the public one.
    viewer = None if embed else request.user
    rows = items(occurrences(viewer, period.start, period.end, query.filters, CALENDAR_FIELDS))
    extra = {"embed": "1"} if embed else {}
    context = {
        "query": query,
        "period": period,
        "rows": rows,
        "embed": embed,
        "title": _period_title(period),
        "filter_labels": _filter_labels(query),
        "today_link": query.querystring(date=timezone.localdate().isoformat(), **extra),
        "previous_link": query.querystring(date=period.previous.isoformat(), **extra),
        "next_link": query.querystring(date=period.next.isoformat(), **extra),
        "view_links": [
            (name, label, query.querystring(view=name, **extra))
            for name, label in query.form.fields["view"].choices
        ],
        "feed_query": query.filter_querystring(),
        "period_query": query.querystring(),
        "count": ngettext("%(count)s activity", "%(count)s activities", len(rows))
        % {"count": len(rows)},
    }
    # The feeds' addresses at the host the page was asked at (centre.links),
    # with this calendar's filters.
    feed_query = f"?{context['feed_query']}" if context["feed_query"] else ""
    ics = links.absolute(reverse("bookings:feed-ics"), request) + feed_query
    context["feed_ics"] = ics
    context["feed_webcal"] = "webcal" + ics[ics.index(":") :]
    context["feed_json"] = links.absolute(reverse("bookings:feed-json"), request) + feed_query
    if period.view == "month":
        context["weeks"] = month_weeks(period, rows)
    else:
        days = by_day(rows, period.days)
        if period.view == "list":
            days = [day for day in days if day.rows]
        context["days"] = days
        context["day_sections"] = day_sections(days)
    return context


@require_safe
def calendar(request):
    """Month, week and list views of the house's activities. Every choice is a
    GET parameter, so any view is a link to share; htmx swaps only the calendar.

    Built for each request: one query for the rows and five small ones for
    the filters' choices."""
    embed = request.GET.get("embed") == "1"
    context = _calendar_context(request, embed)
    partial = (
        request.htmx
        and request.htmx.target == "calendar"
        and not request.htmx.history_restore_request
    )
    if partial:
        template = "bookings/_calendar.html"
    else:
        template = "bookings/calendar_embed.html" if embed else "bookings/calendar.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    if embed:
        # The embeddable view is meant to be framed by the municipality's or
        # the housing organisation's site (django-csp reads _csp_replace).
        response.xframe_options_exempt = True
        response._csp_replace = {"frame-ancestors": ["*"]}
    return response


def _feed(request, kind: str):
    """A feed: the stored texts of its rows, in one query, in the language
    ``?lang`` asks for (else the reader's): the activities' own texts where
    they are written in it, and the feed's name."""
    language = asked_language(request)
    with translation.override(language):
        return _feed_in(request, kind, language)


def _feed_in(request, kind: str, language: str):
    query = CalendarQuery.from_request(request, only_given=True)
    if query.form.errors:
        # A subscription to an unknown room or actor gets an answer, not the whole house.
        problems = "; ".join(
            f"{name}={request.GET.get(name, '')}: {' '.join(errors)}"
            for name, errors in query.form.errors.items()
        )
        return HttpResponseBadRequest(
            _("This feed's address is not valid: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    explicit = bool(request.GET.get("view") or request.GET.get("date"))
    start, end = feed_window(query, explicit)
    name = feeds.feed_name(", ".join(_filter_labels(query)))
    events = feeds.feed_texts(visible(None, start, end, query.filters), kind)
    if kind == "ics":
        content = feeds.ics_document(events, name=name)
    else:
        content = feeds.json_document(events, name=name, start=start, end=end)
    # Of what the feed lists (not of the JSON's "generated"), so an unchanged
    # feed answers a conditional request with 304.
    etag = feeds.etag_of(
        kind.encode(), language.encode(), name.encode(), start.isoformat().encode(), *events
    )
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(content, ICS_TYPE if kind == "ics" else JSON_TYPE)
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@require_safe
def feed_ics(request):
    """The calendar as an iCalendar subscription, with the same filters."""
    response = _feed(request, "ics")
    response["Content-Disposition"] = 'inline; filename="samhus.ics"'
    return response


@require_safe
def feed_json(request):
    """The same occurrences as JSON, for other sites and screens."""
    response = _feed(request, "json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _activity(request, pk):
    return get_object_or_404(
        Booking.objects.visible_to(request.user)
        .listed()
        .select_related("room", "actor", "series")
        .prefetch_related("target_groups", "languages", "themes"),
        pk=pk,
    )


def describe_rule(rule: str, first_day: datetime.date) -> str:
    """A series' repetition in words: the rules Samhus's booking form writes."""
    weekday = date_format(first_day, "l")
    if rule == "FREQ=WEEKLY":
        return _("Every %(weekday)s") % {"weekday": weekday}
    if rule == "FREQ=WEEKLY;INTERVAL=2":
        return _("Every other %(weekday)s") % {"weekday": weekday}
    if rule.startswith("FREQ=MONTHLY;BYDAY="):
        position = rule.removeprefix("FREQ=MONTHLY;BYDAY=")[:-2]
        ordinals = {
            "1": _("first"),
            "2": _("second"),
            "3": _("third"),
            "4": _("fourth"),
            "-1": _("last"),
        }
        return _("The %(ordinal)s %(weekday)s of each month") % {
            "ordinal": ordinals.get(position, position),
            "weekday": weekday,
        }
    return _("Repeats")


@require_safe
def activity(request, pk):
    """One activity: what, who, where, when, for whom, and how to get there."""
    booking = _activity(request, pk)
    local_start = timezone.localtime(booking.start)
    context = {"booking": booking, "room": booking.room, "start": local_start}
    if booking.status == Status.CANCELLED:
        # The house's own reason (a closed day, a room out of use) is public;
        # an actor's reason for cancelling stays with the actor.
        context["house_cancel"] = (
            booking.audit.filter(action=AuditEntry.Action.CANCELLED, changes__house=True)
            .order_by("-at", "-pk")
            .values("note")
            .first()
        )
    if booking.series_id:
        upcoming = occurrences(
            request.user,
            max(timezone.now(), booking.end),
            timezone.now() + FEED_AHEAD,
            {"series": booking.series_id},
        )
        context["series_rule"] = describe_rule(booking.series.rrule, local_start.date())
        context["series_next"] = decorate(upcoming[:5])
    context["actor_feed"] = f"actor={booking.actor.slug}"
    context["extra_sections"] = extensions.sections_for(request, booking)
    return render(request, "bookings/activity.html", context)


@require_safe
def activity_ics(request, pk):
    """One activity as an .ics file to add to one's own calendar."""
    booking = _activity(request, pk)
    response = HttpResponse(feeds.activity_ics(booking), ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="activity-{booking.pk}.ics"'
    return response


SHOWN_NOW, SHOWN_LATER, SHOWN_HIGHLIGHTS, SHOWN_CANCELLED = 8, 6, 8, 5


def front_page_rows(now: datetime.datetime) -> dict:
    """What the front page shows. The coming week's public activities are read
    with the few fields that choose what is shown; only the chosen ones (at
    most SHOWN_NOW + SHOWN_LATER + SHOWN_HIGHLIGHTS + SHOWN_CANCELLED) are
    then read whole and dressed for the page: two queries, however busy the
    house."""
    today_end = aware(timezone.localdate(now) + datetime.timedelta(days=1))
    week = visible(None, now, today_end + datetime.timedelta(days=6), {})
    choosing = ("pk", "start", "status", "series_id", "open_to_whole_city")
    rows = fetch(week.order_by("start", "room__name", "pk"), choosing)
    now_on, later_today, cancelled, rest = [], [], [], []
    for row in rows:
        if row["status"] == Status.CANCELLED:
            cancelled.append(row)
        elif row["start"] <= now:
            now_on.append(row)
        elif row["start"] < today_end:
            later_today.append(row)
        else:
            rest.append(row)
    # The week's highlights: one date per series, open-to-the-city activities first.
    highlights, seen_series = [], set()
    for row in [r for r in rest if r["open_to_whole_city"]] + [
        r for r in rest if not r["open_to_whole_city"]
    ]:
        if len(highlights) == SHOWN_HIGHLIGHTS:
            break
        if row["series_id"]:
            if row["series_id"] in seen_series:
                continue
            seen_series.add(row["series_id"])
        highlights.append(row)
    highlights.sort(key=lambda row: row["start"])
    shown = {
        "now_on": now_on[:SHOWN_NOW],
        "later_today": later_today[:SHOWN_LATER],
        "highlights": highlights,
        "cancelled": cancelled[:SHOWN_CANCELLED],
    }
    chosen = {row["pk"] for part in shown.values() for row in part}
    # Read again under the same rule: a date may have changed in between.
    again = Booking.objects.visible_to(None).listed().filter(pk__in=chosen).order_by()
    whole = texts.current(again, (*ROW_FIELDS, "open_to_whole_city")) if chosen else []
    by_pk = {row["pk"]: row for row in decorate(whole)}
    return {
        **{
            name: [by_pk[row["pk"]] for row in part if row["pk"] in by_pk]
            for name, part in shown.items()
        },
        "more_now": max(0, len(now_on) - SHOWN_NOW),
        "more_today": max(0, len(later_today) - SHOWN_LATER),
    }


@require_safe
def home(request):
    """The house today: open or closed, what is on now and next, the week's
    highlights and the feeds to subscribe to."""
    now = timezone.now()
    shown = {
        **front_page_rows(now),
        "target_groups": [
            (group.slug, group.label) for group in TargetGroup.objects.only("slug", "name")
        ],
    }
    return render(request, "bookings/home.html", {"status": house_status(now), **shown})
