"""What the actors offer the residents."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centre.shown import Shown

from .actors import Actor, Language, TargetGroup, Theme


class OfferQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).filter(
            Q(actor__left_on__isnull=True) | Q(actor__left_on__gt=timezone.localdate())
        )

    def for_overview(self):
        """The offer overview in four queries whatever the number of offers."""
        return (
            self.active()
            .select_related("actor")
            .prefetch_related("target_groups", "themes", "languages")
        )


UNIQUE_TITLE = "actors_offer_unique_title_per_actor"


class Offer(models.Model):
    """Something an actor offers residents (tilbud): a homework café, open counselling…"""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="offers", verbose_name=_("actor")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="offers", verbose_name=_("target groups"), blank=True
    )
    themes = models.ManyToManyField(
        Theme, related_name="offers", verbose_name=_("themes"), blank=True
    )
    languages = models.ManyToManyField(
        Language, related_name="offers", verbose_name=_("offered in"), blank=True
    )
    accessibility = models.CharField(
        _("accessibility"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. step-free access, hearing loop, children welcome, interpreter on request."
        ),
    )
    when = models.CharField(
        _("when"), max_length=200, blank=True, help_text=_("E.g. “Every Tuesday 15–17”.")
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Who to call or write to, if not the actor."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when the offer pauses or ends.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = [Shown("title"), "pk"]  # as the reader sees it (centre.shown)
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "title"],
                name=UNIQUE_TITLE,
                violation_error_message=_("This actor already has an offer with this title."),
            ),
        ]

    def __str__(self):
        return self.title

    def validate_constraints(self, exclude=None):
        """Django's check of the constraints, with the unique title checked on
        the column the constraint guards: modeltranslation would read "title"
        as the writer's language's column (``title_en``) and miss a clash."""
        exclude = set(exclude or ())
        super().validate_constraints(exclude={*exclude, "title"})
        if exclude & {"actor", "title"}:
            return
        plain = Offer.objects.rewrite(False).filter(actor_id=self.actor_id, title=self.title)
        if plain.exclude(pk=self.pk).exists():
            unique = next(c for c in self._meta.constraints if c.name == UNIQUE_TITLE)
            raise ValidationError({"title": [unique.get_violation_error_message()]})
