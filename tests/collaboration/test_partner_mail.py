"""Issue #14, item 5: a logged collaboration reaches the administrators of the
actors it names, and a dispute reaches the person who logged it; each mail
after the commit, through the outbox, in the recipient's language, once."""

import pytest
from django.core import mail

from actors.models import Membership
from centre.models import OutboxTask
from collaboration.log import services
from collaboration.log.notifications import dispute_stamp, notify_dispute, notify_partners
from tests.factories import MembershipFactory, log_collaboration

pytestmark = pytest.mark.django_db

ADMIN = Membership.Role.ADMIN


def admin_of(actor, email, language="da", **user):
    user = {f"user__{name}": value for name, value in user.items()}
    return MembershipFactory(
        actor=actor, role=ADMIN, user__email=email, user__language=language, **user
    ).user


def sent_to() -> dict[str, str]:
    """Each recipient's subject."""
    assert all(len(message.to) == 1 for message in mail.outbox)
    return {message.to[0]: message.subject for message in mail.outbox}


@pytest.fixture
def partners(actor, other_actor, third_actor):
    """Administrators of Basen (one reads English) and of Café Sumak; their
    actors' other people; an administrator who left and one without an address."""
    admin_of(other_actor, "basen.da@example.org")
    admin_of(other_actor, "basen.en@example.org", language="en")
    admin_of(third_actor, "sumak@example.org")
    admin_of(other_actor, "left@example.org", is_active=False)
    admin_of(third_actor, "", verified=False)
    MembershipFactory(actor=other_actor, user__email="basen.member@example.org")
    MembershipFactory(
        actor=other_actor, user__email="basen.booker@example.org", role=Membership.Role.BOOKER
    )
    admin_of(actor, "own.admin@example.org")  # the logger's own actor: nothing to confirm


def logged(django_capture_on_commit_callbacks, *args, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return log_collaboration(*args, title="Fælles høstfest", **fields)


# --- the partners are asked ------------------------------------------------------------------


def test_the_named_actors_admins_are_asked_each_in_their_language(
    partners, member, actor, other_actor, third_actor, django_capture_on_commit_callbacks
):
    collaboration = logged(
        django_capture_on_commit_callbacks, member, actor, other_actor, third_actor
    )
    assert sent_to() == {
        "basen.da@example.org": "Bekræft venligst: Fælles høstfest",
        "basen.en@example.org": "Please confirm: Fælles høstfest",
        "sumak@example.org": "Bekræft venligst: Fælles høstfest",
    }
    english = next(m for m in mail.outbox if m.to == ["basen.en@example.org"])
    assert "names your actor as taking part" in english.body
    assert "Kvindeforum" in english.body and "Basen" in english.body
    assert collaboration.get_absolute_url() in english.body
    html = english.alternatives[0][0]
    assert 'lang="en"' in html and collaboration.get_absolute_url() in html
    danish = next(m for m in mail.outbox if m.to == ["sumak@example.org"])
    assert "Bekræft jeres del" in danish.body and "Café Sumak" in danish.body


def test_no_mail_to_members_bookers_or_anyone_before_the_commit(
    partners, member, actor, other_actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        log_collaboration(member, actor, other_actor)
    assert not mail.outbox  # nothing leaves before the change is committed
    for callback in callbacks:
        callback()
    assert set(sent_to()) == {"basen.da@example.org", "basen.en@example.org"}


def test_an_admin_of_two_named_actors_gets_one_mail_naming_both(
    member, actor, other_actor, third_actor, django_capture_on_commit_callbacks
):
    both = admin_of(other_actor, "both@example.org", language="en")
    MembershipFactory(actor=third_actor, user=both, role=ADMIN)
    logged(django_capture_on_commit_callbacks, member, actor, other_actor, third_actor)
    [message] = mail.outbox
    assert message.to == ["both@example.org"]
    assert "Asked to confirm: Basen, Café Sumak" in message.body


def test_the_logger_is_not_asked_about_their_own_log(
    member, actor, other_actor, django_capture_on_commit_callbacks
):
    MembershipFactory(actor=other_actor, user=member, role=ADMIN)
    admin_of(other_actor, "colleague@example.org")
    logged(django_capture_on_commit_callbacks, member, actor, other_actor)
    assert set(sent_to()) == {"colleague@example.org"}


def test_one_mail_per_admin_when_the_task_runs_again(
    partners, member, actor, other_actor, third_actor, django_capture_on_commit_callbacks
):
    collaboration = logged(
        django_capture_on_commit_callbacks, member, actor, other_actor, third_actor
    )
    assert len(mail.outbox) == 3
    # Redelivered under its id, and enqueued a second time under a new one.
    notify_partners.apply(args=[collaboration.pk, actor.pk], task_id="outbox-7-abc")
    notify_partners.apply(args=[collaboration.pk, actor.pk], task_id="outbox-7-abc")
    notify_partners.apply(args=[collaboration.pk, actor.pk], task_id="outbox-8-def")
    assert len(mail.outbox) == 3
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 3


def test_with_a_broker_the_mail_waits_in_the_outbox_with_the_log(
    partners, member, actor, other_actor, django_capture_on_commit_callbacks
):
    from centre.celery import app

    app.conf.task_always_eager = False  # the fixture puts it back
    with django_capture_on_commit_callbacks(execute=False):
        collaboration = log_collaboration(member, actor, other_actor)
    task = OutboxTask.objects.get()
    assert (task.task, task.args) == (
        "collaboration.log.notify_partners",
        [collaboration.pk, actor.pk],
    )


def test_a_refused_log_mails_nobody(partners, member, actor, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        log_collaboration(member, actor)  # one actor only
    assert not mail.outbox and not OutboxTask.objects.exists()


# --- a dispute reaches the logger -------------------------------------------------------------


def dispute(callbacks, by, collaboration, actor, note):
    with callbacks(execute=True):
        return services.participation_answer(
            by=by,
            participation=collaboration.participations.get(actor=actor),
            confirm=False,
            note=note,
        )


def test_a_dispute_mails_its_reason_to_the_logger_and_the_lead_actors_admins(
    member, other_member, actor, other_actor, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save()
    admin_of(actor, "lead.admin@example.org")
    admin_of(other_actor, "basen.admin@example.org")
    collaboration = log_collaboration(member, actor, other_actor, title="Høstfest")
    dispute(
        django_capture_on_commit_callbacks,
        other_member,
        collaboration,
        other_actor,
        "Vi var ikke med i år",
    )
    # Not the partner's own people: they disputed it.
    assert sent_to() == {
        "member@example.org": "Basen disputes: Høstfest",
        "lead.admin@example.org": "Basen bestrider: Høstfest",
    }
    for message in mail.outbox:
        assert "Vi var ikke med i år" in message.body
        assert "Vi var ikke med i år" in message.alternatives[0][0]
        assert collaboration.get_absolute_url() in message.body
    english = next(m for m in mail.outbox if m.to == ["member@example.org"])
    assert f"{other_member.name} disputes the part of Basen" in english.body


def test_a_dispute_mail_is_sent_once_and_a_new_dispute_is_a_new_mail(
    member, other_member, actor, other_actor, django_capture_on_commit_callbacks
):
    collaboration = log_collaboration(member, actor, other_actor)
    part = dispute(
        django_capture_on_commit_callbacks, other_member, collaboration, other_actor, "Nej"
    )
    assert len(mail.outbox) == 1
    notify_dispute.apply(args=[part.pk, dispute_stamp(part)], task_id="outbox-9-x")
    notify_dispute.apply(args=[part.pk, dispute_stamp(part)], task_id="outbox-9-x")
    assert len(mail.outbox) == 1
    dispute(
        django_capture_on_commit_callbacks, other_member, collaboration, other_actor, "Ny grund"
    )
    assert len(mail.outbox) == 2 and "Ny grund" in mail.outbox[1].body


def test_a_dispute_answered_otherwise_before_its_mail_leaves_is_not_mailed(
    member, other_member, actor, other_actor, django_capture_on_commit_callbacks
):
    collaboration = log_collaboration(member, actor, other_actor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.participation_answer(
            by=other_member,
            participation=collaboration.participations.get(actor=other_actor),
            confirm=False,
            note="Forkert dato",
        )
    services.participation_answer(
        by=other_member,
        participation=collaboration.participations.get(actor=other_actor),
        confirm=True,
    )
    for callback in callbacks:
        callback()
    assert not mail.outbox


def test_a_confirmation_mails_nobody(
    member, other_member, actor, other_actor, django_capture_on_commit_callbacks
):
    collaboration = log_collaboration(member, actor, other_actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_answer(
            by=other_member,
            participation=collaboration.participations.get(actor=other_actor),
            confirm=True,
        )
    assert not mail.outbox


def test_the_logger_who_left_is_not_mailed_but_the_lead_admins_are(
    member, other_member, actor, other_actor, django_capture_on_commit_callbacks
):
    admin_of(actor, "lead.admin@example.org")
    collaboration = log_collaboration(member, actor, other_actor)
    member.is_active = False
    member.save()
    dispute(django_capture_on_commit_callbacks, other_member, collaboration, other_actor, "Nej")
    assert set(sent_to()) == {"lead.admin@example.org"}
