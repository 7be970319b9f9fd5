"""The weekly digest: who wants which sections, and each delivery."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestSection(models.TextChoices):
    ACTIVITIES = "activities", _("Next week's public activities")
    REQUESTS = "requests", _("Booking requests waiting")
    PARALLEL = "parallel", _("Parallel activities and target-group gaps ahead")
    COLLABORATIONS = "collaborations", _("Collaborations logged last week")
    SHARING = "sharing", _("New on the sharing board")
    ACTORS = "actors", _("New actors and offers")
    COUNCIL = "council", _("Rules adopted and minutes published")


class DigestSubscription(models.Model):
    """A person's choice about the digest. Council members receive it unless
    they opt out; anyone else who opts in receives it too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    subscribed = models.BooleanField(_("receive the weekly digest"), default=True)
    skipped_sections = models.JSONField(_("sections left out"), default=list, blank=True)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self):
        return f"{self.user}: {'on' if self.subscribed else 'off'}"


class DigestDelivery(models.Model):
    """One digest for one recipient and one period: the unique constraint and
    the claim (a conditional update from pending to sending) make sure it is
    sent once, whatever the number of workers or redeliveries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    period = models.DateField(_("week starting"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["-period", "recipient_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "recipient"], name="digest_once_per_period")
        ]

    def __str__(self):
        return f"{self.period} → {self.recipient_id}: {self.status}"


class DigestIssue(models.Model):
    """One period's digest in one language, kept as it was first sent: its
    subject and each section's text and HTML, and each collaboration it
    names with the actors taking part, so that a reader of the archive sees
    the sections and collaborations they may read, as the mail said them."""

    period = models.DateField(_("week starting"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=300)
    base_url = models.CharField(max_length=300)
    # [[section, text, html]], in the mail's order.
    sections = models.JSONField(default=list)
    # [{"actors": [actor ids], "text": ..., "html": ...}]: the collaborations named.
    named = models.JSONField(default=list)
    sent = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest issue")
        verbose_name_plural = _("digest issues")
        ordering = ["-period", "language"]
        constraints = [
            models.UniqueConstraint(fields=["period", "language"], name="digest_issue_once")
        ]

    def __str__(self):
        return f"{self.period} ({self.language})"
