"""Uploaded pictures: the file a save of an actor or a room replaces or
clears, or a deleted row held, is deleted once the change commits (the
house's logo stays: sent mails show it); a name of emoji alone still gives a
file served as a picture (centre.uploads)."""

import pytest
from django.db import transaction

from actors.models import Actor
from bookings.models import Room
from centre.models import Centre
from centre.uploads import Storage
from tests.conftest import png
from tests.factories import ActorFactory, RoomFactory

pytestmark = pytest.mark.django_db


def holder(model):
    return ActorFactory() if model is Actor else RoomFactory()


FIELD = {Actor: "logo", Room: "photo"}


@pytest.mark.parametrize("model", [Actor, Room])
def test_a_replaced_picture_is_deleted_when_the_save_commits(
    model, media, django_capture_on_commit_callbacks
):
    row, field = holder(model), FIELD[model]
    getattr(row, field).save("first.png", png(20, 20), save=True)
    first = getattr(row, field).name
    assert (media / first).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        setattr(row, field, png(30, 30, name="second.png"))
        row.save()
    second = getattr(row, field).name
    assert len(callbacks) == 1
    assert not (media / first).exists() and (media / second).exists()

    with django_capture_on_commit_callbacks(execute=True):
        setattr(row, field, None)  # cleared on the form
        row.save()
    assert not (media / second).exists()


@pytest.mark.parametrize("model", [Actor, Room])
def test_a_deleted_rows_picture_is_deleted_when_the_delete_commits(
    model, media, django_capture_on_commit_callbacks
):
    """An actor created by mistake, deleted in the admin: its logo is not left
    on disk and at its address."""
    row, field = holder(model), FIELD[model]
    getattr(row, field).save("mine.png", png(20, 20), save=True)
    name = getattr(row, field).name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row.delete()
    assert len(callbacks) == 1
    assert not (media / name).exists()


def _replace(actor):
    actor.logo = png(30, 30, name="second.png")
    actor.save()


def _delete(actor):
    Actor.objects.get(pk=actor.pk).delete()


@pytest.mark.parametrize("change", [_replace, _delete])
def test_a_change_that_is_undone_keeps_the_picture(
    change, actor, media, django_capture_on_commit_callbacks
):
    actor.logo.save("first.png", png(20, 20), save=True)
    first = actor.logo.name
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        change(actor)
        raise RuntimeError("the service refused something after the change")
    assert callbacks == []
    assert (media / first).exists()
    assert Actor.objects.get(pk=actor.pk).logo.name == first


def test_a_picture_another_row_still_holds_is_kept(media, django_capture_on_commit_callbacks):
    one, other = RoomFactory(), RoomFactory()
    one.photo.save("shared.png", png(20, 20), save=True)
    Room.objects.filter(pk=other.pk).update(photo=one.photo.name)
    shared = one.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        one.photo = png(30, 30, name="own.png")
        one.save()
    assert (media / shared).exists()
    Room.objects.filter(pk=one.pk).update(photo=shared)
    with django_capture_on_commit_callbacks(execute=True):
        Room.objects.get(pk=one.pk).delete()
    assert (media / shared).exists()  # deleted with one row, still held by the other


def test_saving_other_fields_touches_no_picture(actor, media, django_capture_on_commit_callbacks):
    actor.logo.save("logo.png", png(20, 20), save=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actor.name = "Kvindeforum i huset"
        actor.save()
        actor.save(update_fields=["name"])
    assert callbacks == []
    assert (media / actor.logo.name).exists()


def test_a_name_of_emoji_alone_is_stored_with_its_extension(actor, media):
    names = []
    for _ in range(2):
        actor.logo.save("🙂.PNG", png(20, 20), save=True)
        names.append(actor.logo.name)
    first, second = names
    assert first == "actors/logos/picture.PNG"
    assert second.startswith("actors/logos/picture_") and second.endswith(".PNG")


def test_the_houses_old_logo_stays_for_the_mails_that_show_it(
    media, django_capture_on_commit_callbacks
):
    house = Centre.load()
    house.logo.save("first.png", png(20, 20), save=True)
    first = house.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        house.logo = png(30, 30, name="second.png")
        house.save()
    assert (media / first).exists() and (media / house.logo.name).exists()


def test_a_picture_that_cannot_be_deleted_leaves_the_save_standing(
    actor, media, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    actor.logo.save("first.png", png(20, 20), save=True)
    first = actor.logo.name

    def refuse(storage, name):
        raise PermissionError(f"read-only: {name}")

    monkeypatch.setattr(Storage, "delete", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        actor.logo = png(30, 30, name="second.png")
        actor.save()
    assert Actor.objects.get(pk=actor.pk).logo.name == actor.logo.name != first
    assert f"The picture {first} could not be deleted." in caplog.text
