from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed_empty_vocabulary(sender, using="default", **kwargs) -> None:
    """The shipped vocabulary in a list that is empty (the data migration
    wrote it once; a database flushed since, as a test that commits does,
    would otherwise have no target groups, themes or languages). A list a
    coordinator has edited is left as it is."""
    from . import vocabulary
    from .models import Language, TargetGroup, Theme

    for model, rows in (
        (TargetGroup, vocabulary.TARGET_GROUPS),
        (Theme, vocabulary.THEMES),
        (Language, vocabulary.LANGUAGES),
    ):
        if not model.objects.using(using).exists():
            vocabulary.seed(model, rows)


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Actors")

    def ready(self):
        from centre.uploads import keep_track

        from .models import Actor

        post_migrate.connect(seed_empty_vocabulary, sender=self)
        keep_track(Actor)
