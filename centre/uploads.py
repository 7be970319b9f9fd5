"""The files people upload (the house's and the actors' logos, the rooms'
photos), once they are accepted (centre.images has the limits):

- `Storage`, the default storage, names each file so that it is served as
  what it is, whatever characters its name had;
- `keep_track`, connected to the actors and the rooms, deletes the picture a
  save replaces or clears, or a deleted row held, once the change commits:
  an actor's old logo is neither kept on disk nor reachable at its address.
  Not the house's logo: every mail Samhus has sent shows it from its address.

A picture that cannot be deleted is logged and left: the save or delete stands."""

import logging

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save

logger = logging.getLogger(__name__)


class Storage(FileSystemStorage):
    def get_valid_name(self, name):
        # Django keeps letters, digits, "-", "_" and ".": a name of emoji or
        # symbols alone ("🙂.png") would leave ".png", a hidden file whose
        # next namesake gets its random suffix after the extension.
        name = super().get_valid_name(name)
        return f"picture{name}" if name.startswith(".") else name


def _file_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _remember(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a save: the names of the files the row holds now."""
    fields = [f for f in _file_fields(sender) if update_fields is None or f.name in update_fields]
    if raw or instance.pk is None or not fields:
        return
    instance._files_before = (
        sender._base_manager.filter(pk=instance.pk)
        .values(*(field.attname for field in fields))
        .first()
    )


def _forget_replaced(sender, instance, raw=False, **kwargs):
    """After a save: a file the row no longer holds is deleted once the save
    commits, unless another row of the model holds it too."""
    before = instance.__dict__.pop("_files_before", None)
    if raw or not before:
        return
    for field in _file_fields(sender):
        old = before.get(field.attname)
        current = getattr(instance, field.attname)
        if old and old != (current.name if current else ""):
            _delete_on_commit(sender, field, old, instance._state.db)


def _forget_deleted(sender, instance, **kwargs):
    """After a delete: the row's files go once the delete commits, unless
    another row holds them."""
    for field in _file_fields(sender):
        held = getattr(instance, field.attname)
        if held:
            _delete_on_commit(sender, field, held.name, instance._state.db)


def _delete_on_commit(model, field, name: str, using: str) -> None:
    def delete():
        if model._base_manager.filter(**{field.attname: name}).exists():
            return
        try:
            field.storage.delete(name)
        except (OSError, SuspiciousFileOperation):
            logger.warning("The picture %s could not be deleted.", name, exc_info=True)

    transaction.on_commit(delete, using=using, robust=True)


def keep_track(model) -> None:
    """Delete the files a save of ``model`` replaces or clears, or a deleted
    row held (see above)."""
    label = model._meta.label
    pre_save.connect(_remember, sender=model, dispatch_uid=f"uploads-remember-{label}")
    post_save.connect(_forget_replaced, sender=model, dispatch_uid=f"uploads-forget-{label}")
    post_delete.connect(_forget_deleted, sender=model, dispatch_uid=f"uploads-deleted-{label}")
