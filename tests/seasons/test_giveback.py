"""Giving back what is not used (issue #18): a released date goes to the
waiting list's first, then the next when the offer expires; exactly one
acceptance wins; confirm-or-release asks; no-shows; fair use per actor."""

import datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from actors.models import Membership
from bookings import services as bookings_services
from bookings.models import Booking, Status
from centre.models import ClosedDay
from seasons import services
from seasons.models import ConfirmAsk, NoShow, Offer, RoomAsk, WaitingEntry
from seasons.selectors import fair_use
from tests.conftest import celery_beat, race, start_celery_worker, test_database_url, wait_for
from tests.factories import (
    ActorFactory,
    MembershipFactory,
    in_days,
    season_round,
    series_dates,
    wish,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture
def published(room, actor, booker, coordinator):
    """Kvindeforum holds Multisalen on Mondays 17-18 for the season."""
    round_ = season_round([room], open_now=True)
    services.application_save(by=booker, round_=round_, actor=actor, wishes=[wish(room=room)])
    round_.applications_close = timezone.now()
    round_.save()
    services.proposal_make(by=coordinator, round_=round_)
    services.round_publish(by=coordinator, round_=round_)
    return round_


def waiting(room, name, created_offset=0):
    actor = ActorFactory(name=name)
    person = MembershipFactory(actor=actor, role=Membership.Role.BOOKER).user
    entry = services.waiting_join(
        by=person,
        room=room,
        actor=actor,
        weekday=0,
        start_time=datetime.time(16),
        end_time=datetime.time(20),
    )
    WaitingEntry.objects.filter(pk=entry.pk).update(
        created=timezone.now() + datetime.timedelta(seconds=created_offset)
    )
    return entry


def first_date(round_):
    return series_dates(round_.applications.get().wishes.get().decision.series)[0]


def test_a_released_date_is_offered_to_the_first_then_the_next_after_expiry(
    published, room, booker
):
    first, second = waiting(room, "Først", 0), waiting(room, "Dernæst", 1)
    date = first_date(published)
    services.date_release(by=booker, booking=date)
    date.refresh_from_db()
    assert date.status == Status.CANCELLED
    offer = Offer.objects.get()
    assert offer.entry == first and offer.status == Offer.Status.OPEN
    assert services.offers_expire(now=offer.expires_at + datetime.timedelta(seconds=1)) == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.EXPIRED
    nxt = Offer.objects.get(status=Offer.Status.OPEN)
    assert nxt.entry == second
    booking = services.offer_accept(by=second.person, offer=nxt)
    assert (booking.status, booking.start, booking.actor) == (
        Status.CONFIRMED,
        date.start,
        second.actor,
    )
    with pytest.raises(ValidationError):
        services.offer_accept(by=second.person, offer=nxt)


def test_an_expired_offer_cannot_be_accepted(published, room, booker):
    entry = waiting(room, "Sent")
    services.date_release(by=booker, booking=first_date(published))
    offer = Offer.objects.get()
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now())
    with pytest.raises(ValidationError, match="expired"):
        services.offer_accept(by=entry.person, offer=offer)


def test_releasing_from_the_page_frees_the_slot_at_once(published, room, booker):
    waiting(room, "Venter")
    date = first_date(published)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(booker)
    url = reverse("seasons:date-release", args=[date.pk])
    # Opening the mail's link (as a mail scanner does) changes nothing; the page
    # has one button, and no "keep" button: keeping is doing nothing.
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    body = page.content.decode()
    assert body.count('type="submit" name="answer"') == 1 and 'value="release"' in body
    assert Booking.objects.get(pk=date.pk).status == Status.CONFIRMED
    response = client.post(url, {"answer": "release"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("bookings:series-detail", args=[date.series_id])
    date.refresh_from_db()
    assert date.status == Status.CANCELLED
    assert Offer.objects.filter(status=Offer.Status.OPEN).count() == 1
    # Again (a second click, an old mail): the page says it is released, nothing more.
    again = client.post(url, {"answer": "release"})
    assert again.status_code == HTTPStatus.OK and "released already" in again.content.decode()
    assert Offer.objects.count() == 1


def test_a_bad_answer_on_the_release_page_is_a_400(published, booker):
    client = Client()
    client.force_login(booker)
    url = reverse("seasons:date-release", args=[first_date(published).pk])
    assert client.post(url, {"answer": "maybe"}).status_code == HTTPStatus.BAD_REQUEST


def test_the_series_page_releases_a_date_the_way_the_season_does(
    published, room, booker, django_capture_on_commit_callbacks
):
    """ "Release" on the series page (not "Skip"): cancelled with the reason
    "Released", its ask answered, and offered to the waiting list at once."""
    first = waiting(room, "Først")
    date = first_date(published)
    ConfirmAsk.objects.create(booking=date)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(booker)
    series_page = reverse("bookings:series-detail", args=[date.series_id])
    body = client.get(series_page).content.decode()
    assert reverse("bookings:date-release", args=[date.pk]) in body
    assert ">Skip<" not in body and ">Release<" in body
    client.cookies["django_language"] = "da"
    assert ">Frigiv<" in client.get(series_page).content.decode()
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("bookings:date-release", args=[date.pk]), {"from": "series"}, follow=True
    )
    assert response.redirect_chain[-1][0] == series_page
    assert "The date is released" in response.content.decode()
    date.refresh_from_db()
    assert (date.status, date.cancelled_late) == (Status.CANCELLED, False)
    assert date.audit.latest("pk").note == "Released"
    assert ConfirmAsk.objects.get().answer == ConfirmAsk.Answer.RELEASED
    assert Offer.objects.get().entry == first


def test_a_late_release_is_flagged_late_and_said_so(published, booker):
    from centre.models import Centre

    Centre.objects.update(cancellation_deadline_hours=24 * 365)
    date = first_date(published)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(booker)
    response = client.post(reverse("bookings:date-release", args=[date.pk]), follow=True)
    assert "counts as released late" in response.content.decode()
    date.refresh_from_db()
    assert date.cancelled_late
    (row,) = fair_use(published)
    assert (row.released_in_time, row.released_late) == (0, 1)


def test_only_a_date_of_a_series_is_released_and_only_by_its_actor(
    published, booker, other_booker, room, actor
):
    client = Client()
    client.force_login(other_booker)
    date = first_date(published)
    assert client.post(reverse("bookings:date-release", args=[date.pk])).status_code in (
        HTTPStatus.FORBIDDEN,
        HTTPStatus.NOT_FOUND,
    )
    one_off = bookings_services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Enkelt",
        start=date.start + datetime.timedelta(days=1),
        end=date.end + datetime.timedelta(days=1),
    )
    client.force_login(booker)
    response = client.post(reverse("bookings:date-release", args=[one_off.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    with translation.override("en"), pytest.raises(ValidationError, match="weekly series"):
        bookings_services.date_release(booking=one_off, by=booker)
    assert Booking.objects.get(pk=date.pk).status == Status.CONFIRMED


def test_a_room_that_asks_sends_one_ask_per_date_and_keeping_it_is_recorded(
    published, room, booker, django_capture_on_commit_callbacks
):
    date = first_date(published)
    days = (timezone.localdate(date.start) - timezone.localdate()).days
    RoomAsk.objects.create(room=room, days_before=days)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_asks_send() == 1
    assert services.confirm_asks_send() == 0
    assert [m.to for m in mail.outbox] == [["booker@example.org"]]
    body = mail.outbox[0].body
    assert reverse("seasons:date-release", args=[date.pk]) in body
    # In the booker's language (Danish): keeping is doing nothing; one button to press.
    assert "ikke gøre noget" in body and "Frigiv denne dato" in body
    services.confirm_answer(by=booker, booking=date, keep=True)
    assert ConfirmAsk.objects.get().answer == ConfirmAsk.Answer.CONFIRMED


def test_no_room_asks_by_default(published):
    assert services.confirm_asks_send() == 0


def test_fair_use_counts_allocated_released_in_time_late_and_no_shows(
    published, booker, coordinator, actor
):
    dates = series_dates(published.applications.get().wishes.get().decision.series)
    services.date_release(by=booker, booking=dates[1])
    Booking.objects.filter(pk=dates[0].pk).update(
        start=timezone.now() - datetime.timedelta(hours=2),
        end=timezone.now() - datetime.timedelta(hours=1),
    )
    services.no_show_record(by=coordinator, booking=Booking.objects.get(pk=dates[0].pk))
    with pytest.raises(ValidationError):
        services.no_show_record(by=coordinator, booking=dates[2])  # not begun yet
    (row,) = fair_use(published)
    assert row.actor == actor.name
    assert round(row.allocated, 1) == len(dates)
    assert (row.released_in_time, row.released_late, row.no_shows) == (1, 0, 1)
    assert NoShow.objects.get().recorded_by == coordinator


def test_the_fair_use_page_and_csv_are_for_coordinators(
    published, coordinator_client, member_client, django_assert_max_num_queries
):
    url = reverse("seasons:fair-use", args=[published.pk])
    with django_assert_max_num_queries(12):
        assert coordinator_client.get(url).status_code == HTTPStatus.OK
    assert member_client.get(url).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.postgres
def test_exactly_one_acceptance_wins_a_concurrent_race(transactional_db, room, coordinator, actor):
    from bookings import services as bookings

    released = bookings.booking_request(
        by=coordinator,
        room=room,
        actor=actor,
        title="Frigivet",
        start=in_days(3, 10),
        end=in_days(3, 11),
    )
    bookings.booking_cancel(booking=released, by=coordinator)
    weekday = timezone.localtime(released.start).weekday()
    entry = services.waiting_join(
        by=coordinator,
        room=room,
        actor=actor,
        weekday=weekday,
        start_time=datetime.time(0),
        end_time=datetime.time(23, 59),
    )
    offer = Offer.objects.create(
        released=released, entry=entry, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )

    def accept(n: int) -> str:
        return str(services.offer_accept(by=coordinator, offer=Offer.objects.get(pk=offer.pk)).pk)

    outcomes = race(accept, 6)
    assert not [o for o in outcomes if o.startswith("crashed")], outcomes
    won = [o for o in outcomes if not o.startswith("refused")]
    assert len(won) == 1, outcomes
    assert Booking.objects.filter(status=Status.CONFIRMED, start=released.start).count() == 1


@pytest.mark.postgres
@pytest.mark.broker
def test_a_real_worker_and_beat_pass_an_expired_offer_to_the_next(
    transactional_db, room, coordinator, actor, settings, tmp_path
):
    import os

    from bookings import services as bookings

    settings.SAMHUS_OFFER_SECONDS = 3
    released = bookings.booking_request(
        by=coordinator,
        room=room,
        actor=actor,
        title="Frigivet",
        start=in_days(3, 10),
        end=in_days(3, 11),
    )
    weekday = timezone.localtime(released.start).weekday()
    entries = []
    for name in ("Først", "Dernæst"):
        other = ActorFactory(name=name)
        entries.append(
            services.waiting_join(
                by=coordinator,
                room=room,
                actor=other,
                weekday=weekday,
                start_time=datetime.time(0),
                end_time=datetime.time(23, 59),
            )
        )
    env = {"SAMHUS_OFFER_SECONDS": "3", "SAMHUS_OFFER_CHECK_SECONDS": "1"}
    beat_env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "SAMHUS_VAR_DIR": str(tmp_path),
        **env,
    }
    with (
        start_celery_worker(**env),
        open(tmp_path / "beat.log", "w") as log,
        celery_beat(beat_env, tmp_path, log),
    ):
        # Cancelled through the booking's own page: beat offers it, then passes it on.
        bookings.booking_cancel(booking=released, by=coordinator)
        assert wait_for(lambda: Offer.objects.filter(entry=entries[0]).exists(), timeout=60)
        assert wait_for(
            lambda: Offer.objects.filter(entry=entries[1], status="open").exists(), timeout=60
        ), (tmp_path / "beat.log").read_text()[-2000:]
        assert Offer.objects.get(entry=entries[0]).status == Offer.Status.EXPIRED


def test_a_date_cancelled_on_the_series_page_is_offered_at_once(published, room, booker):
    first = waiting(room, "Først")
    date = first_date(published)
    bookings_services.booking_cancel(booking=date, by=booker, scope="one")
    offer = Offer.objects.get()
    assert (offer.released_id, offer.entry, offer.status) == (date.pk, first, Offer.Status.OPEN)
    # The release page finds it offered already: one offer, not two.
    services.offer_next(released=Booking.objects.get(pk=date.pk))
    assert Offer.objects.count() == 1


def test_a_date_on_a_day_the_house_is_closed_is_offered_to_nobody(published, room, booker):
    waiting(room, "Først")
    date = first_date(published)
    ClosedDay.objects.create(date=timezone.localdate(date.start), name="Vandskade")
    bookings_services.booking_cancel(booking=date, by=booker, scope="one")
    assert not Offer.objects.exists()
    assert services.offers_expire() == 0
    assert not Offer.objects.exists()


def test_the_season_pages_keep_times_left_to_right_in_arabic(
    published, room, booker, coordinator_client
):
    """A date with its time, or a range of times, sits in <bdi dir="ltr">: the
    offer, its deadline, the round's application period and the dates begun."""
    entry = waiting(room, "Først")
    dates = series_dates(published.applications.get().wishes.get().decision.series)
    services.date_release(by=booker, booking=dates[1])
    offer = Offer.objects.get()
    person = Client()
    person.force_login(entry.person)
    page = person.get(reverse("seasons:offer", args=[offer.pk]), HTTP_ACCEPT_LANGUAGE="ar")
    start, end = timezone.localtime(dates[1].start), timezone.localtime(dates[1].end)
    expires = timezone.localtime(offer.expires_at)
    html = page.content.decode()
    assert f'<bdi dir="ltr">{start:%H:%M}–{end:%H:%M}</bdi>' in html
    assert f'<bdi dir="ltr">{expires:%H:%M}</bdi>' in html
    detail = coordinator_client.get(
        reverse("seasons:round-detail", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    for moment in (published.applications_open, published.applications_close):
        assert f'<bdi dir="ltr">{timezone.localtime(moment):%H:%M}</bdi>' in detail
    begun = timezone.now() - datetime.timedelta(hours=2)
    Booking.objects.filter(pk=dates[0].pk).update(
        start=begun, end=begun + datetime.timedelta(hours=1)
    )
    fair = coordinator_client.get(
        reverse("seasons:fair-use", args=[published.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert f"، {timezone.localtime(begun):%-d} " in fair
    assert fair.count(f'<bdi dir="ltr">{timezone.localtime(begun):%H:%M}</bdi>') == 2
