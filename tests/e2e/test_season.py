"""A whole season round in Chromium (issue #18): three actors apply (one a
youth association), the window closes, the proposal puts the young people
first on the contested slot and moves or refuses the others with a reason,
the coordinator changes one cell, publishes, and the series exist with their
dates; each actor got one result mail."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from actors.models import Actor, Membership, TargetGroup
from bookings.models import BookingSeries, Room
from seasons.models import Decision, Round
from tests.e2e.conftest import assert_accessible
from tests.factories import (
    ActorFactory,
    MembershipFactory,
    RoomFactory,
    close_applications,
    opening_hours,
    season_round,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def round_world(e2e):
    opening_hours(range(7), (datetime.time(8), datetime.time(22)))
    hall = RoomFactory(name="Multisalen", slug="multisalen", capacity=40)
    RoomFactory(name="Mødelokalet", slug="moedelokalet", capacity=15)
    for slug, name in (("youth", "Unge"), ("adults", "Voksne")):
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name})
    people = {}
    for name, kind, email in (
        ("Basen", Actor.Kind.ASSOCIATION, "basen@example.org"),
        ("Kvindeforum", Actor.Kind.ASSOCIATION, "kvinder@example.org"),
        ("Jobcenter", Actor.Kind.MUNICIPAL, "job@example.org"),
    ):
        actor = ActorFactory(name=name, kind=kind)
        people[name] = MembershipFactory(
            user__email=email, actor=actor, role=Membership.Role.BOOKER
        ).user
    round_ = season_round(list(Room.objects.all()), open_now=True)
    return round_, hall, people


def apply(page, base, round_, person, signed_in, context, *, title, target, people):
    context.clear_cookies()
    signed_in(person)
    page.goto(f"{base}/seasons/{round_.pk}/")
    page.get_by_role("link", name="Søg for").click()
    page.locator("[name='wishes-0-title']").fill(title)
    page.locator("[name='wishes-0-room']").select_option(label="Multisalen")
    page.locator("[name='wishes-0-weekday']").select_option("0")
    page.locator("[name='wishes-0-start_time']").fill("17:00")
    page.locator("[name='wishes-0-minutes']").fill("60")
    page.locator("[name='wishes-0-people']").fill(str(people))
    page.locator("[name='wishes-0-target_group']").select_option(target)
    page.locator("[name='wishes-0-preference']").fill("1")
    page.get_by_role("button", name="Gem ansøgningen").click()
    expect(page.get_by_text("Jeres ansøgning er gemt.")).to_be_visible()
    expect(page.get_by_text(title)).to_be_visible()


def test_a_whole_round_from_applications_to_series(
    e2e, round_world, coordinator, signed_in, context, page
):
    round_, hall, people = round_world
    youth = TargetGroup.objects.get(slug="youth").pk
    adults = TargetGroup.objects.get(slug="adults").pk
    for name, title, target, count in (
        ("Kvindeforum", "Kvindecafé", adults, 20),
        ("Basen", "Ungeklub", youth, 30),
        ("Jobcenter", "Jobcafé", adults, 25),
    ):
        apply(
            page,
            e2e.url,
            round_,
            people[name],
            signed_in,
            context,
            title=title,
            target=str(target),
            people=count,
        )

    # The window closes.
    close_applications(round_)
    context.clear_cookies()
    signed_in(coordinator)
    page.goto(f"{e2e.url}/seasons/{round_.pk}/")
    page.get_by_role("button", name="Lav forslaget").click()
    expect(page.get_by_role("heading", name="Forslag: Sæson")).to_be_visible()
    decisions = {d.wish.title: d for d in Decision.objects.select_related("wish")}
    youth_cell = page.locator(f"#decision-{decisions['Ungeklub'].pk}")
    expect(youth_cell).to_contain_text("Bevilget")
    cafe = page.locator(f"#decision-{decisions['Kvindecafé'].pk}")
    expect(cafe).to_contain_text("højere prioritet")
    job = page.locator(f"#decision-{decisions['Jobcafé'].pk}")
    expect(job).to_contain_text("højere prioritet")
    assert decisions["Kvindecafé"].outcome in ("moved", "refused")
    assert decisions["Jobcafé"].outcome in ("moved", "refused")
    assert_accessible(page)

    # The coordinator moves the job café to Wednesday, with a reason.
    page.get_by_role("link", name="Ændr Jobcafé").click()
    page.locator("[name='outcome']").select_option("moved")
    page.locator("[name='room']").select_option(label="Multisalen")
    page.locator("[name='weekday']").select_option("2")
    page.locator("[name='start_time']").fill("17:00")
    page.locator("[name='reason']").fill("Onsdag passer kommunen bedre")
    page.get_by_role("button", name="Gem").click()
    expect(job).to_contain_text("Onsdag passer kommunen bedre")
    expect(page.locator("#conflicts")).to_have_count(0)

    # Making the proposal again keeps the changed cell, and says so.
    page.get_by_role("button", name="Lav forslaget igen (dine ændrede celler beholdes)").click()
    expect(job).to_contain_text("Onsdag passer kommunen bedre")
    expect(page.locator("#conflicts")).to_have_count(0)
    assert_accessible(page)

    mail.outbox.clear()
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.locator("#stage")).to_have_text("Offentliggjort")

    placed = Decision.objects.exclude(outcome="refused").select_related("series")
    assert BookingSeries.objects.count() == placed.count() == 3
    for decision in placed:
        dates = list(decision.series.occurrences.order_by("start"))
        assert len(dates) == 10  # ten weeks of the season
        assert all(d.start.date() <= round_.season_end for d in dates)
    wednesday = Decision.objects.get(wish__title="Jobcafé").series
    assert wednesday.first_day.weekday() == 2 and wednesday.room == hall
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people.values())


def test_a_booker_releases_dates_from_the_mail_and_the_series_page(
    e2e, round_world, coordinator, signed_in, context, page
):
    """The ask's mail opens a page with the date and one button; the series'
    page releases a date in one click. Both say so, accessibly."""
    from seasons import services
    from tests.factories import wish

    round_, hall, people = round_world
    booker = people["Kvindeforum"]
    actor = Actor.objects.get(name="Kvindeforum")
    services.application_save(by=booker, round_=round_, actor=actor, wishes=[wish(room=hall)])
    close_applications(round_)
    services.proposal_make(by=coordinator, round_=round_)
    services.round_publish(by=coordinator, round_=Round.objects.get(pk=round_.pk))
    first, second = Decision.objects.get().series.occurrences.order_by("start")[:2]

    context.clear_cookies()
    signed_in(booker)
    page.goto(f"{e2e.url}/seasons/dates/{first.pk}/release/")
    expect(page.locator("#main button")).to_have_count(1)  # "Frigiv denne dato", no "keep"
    assert_accessible(page)
    page.get_by_role("button", name="Frigiv denne dato").click()
    expect(page.get_by_text("Datoen er frigivet")).to_be_visible()
    assert_accessible(page)
    page.locator(f"form[action='/bookings/{second.pk}/release/'] button").click()
    expect(page.get_by_text("Datoen er frigivet")).to_be_visible()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cancelled", "cancelled")
