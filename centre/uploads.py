"""The files people upload (the house's and the actors' logos, the rooms'
photos), once they are accepted (centre.images has the limits):

- `Storage`, the default storage, names each file so that it is served as
  what it is, whatever characters its name had;
- `keep_track`, connected to the actors and the rooms, deletes the picture a
  save replaces or clears, once the save commits: an actor's old logo is
  neither kept on disk nor reachable at its address. Not the house's logo:
  every mail Samhus has sent shows it from its address. A deleted row's
  picture stays (actors and rooms are archived, not deleted).

A picture that cannot be deleted is logged and left: the save stands."""

import logging

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models.signals import post_save, pre_save

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
        if not old or old == (current.name if current else ""):
            continue

        def delete(field=field, old=old):
            if sender._base_manager.filter(**{field.attname: old}).exists():
                return
            try:
                field.storage.delete(old)
            except (OSError, SuspiciousFileOperation):
                logger.warning("The replaced picture %s could not be deleted.", old, exc_info=True)

        transaction.on_commit(delete, using=instance._state.db, robust=True)


def keep_track(model) -> None:
    """Delete the files a save of ``model`` replaces or clears (see above)."""
    pre_save.connect(_remember, sender=model, dispatch_uid=f"uploads-remember-{model._meta.label}")
    post_save.connect(
        _forget_replaced, sender=model, dispatch_uid=f"uploads-forget-{model._meta.label}"
    )
