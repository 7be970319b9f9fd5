"""The sharing board (delebørs): posts and their answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import Actor

from .log import Collaboration


class SharingPost(models.Model):
    """What an actor can lend, give or swap, or is looking for."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("We can lend, give or swap")
        SEEK = "seek", _("We are looking for")

    class Category(models.TextChoices):
        ROOM = "room", _("Rooms at certain times")
        EQUIPMENT = "equipment", _("Equipment")
        MONEY = "money", _("Money or sponsorship")
        SERVICES = "services", _("Services")
        VOLUNTEERS = "volunteers", _("Volunteers")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="sharing_posts", verbose_name=_("actor")
    )
    direction = models.CharField(_("we"), max_length=6, choices=Direction)
    category = models.CharField(_("what"), max_length=12, choices=Category)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    expires_on = models.DateField(_("shown until"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    done_with = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done with"),
    )
    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.SET_NULL, null=True, blank=True, related_name="sharing_post"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("sharing board post")
        verbose_name_plural = _("sharing board posts")
        ordering = ["-created"]

    def __str__(self):
        return self.title


class SharingAnswer(models.Model):
    post = models.ForeignKey(SharingPost, on_delete=models.CASCADE, related_name="answers")
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="+", verbose_name=_("actor")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"))
    created = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created"]

    def __str__(self):
        return f"{self.actor}: {self.message[:40]}"
