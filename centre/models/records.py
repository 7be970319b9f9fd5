"""What the house keeps of its own doings: the privacy log, the outbox of
tasks sent once their transaction commits, and the mails sent."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PrivacyLog(models.Model):
    """What was exported or forgotten about whom, and when. It names the
    person only by their account number: a forgotten person stays forgotten."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Exported")
        FORGET = "forget", _("Forgotten")

    action = models.CharField(_("action"), max_length=8, choices=Action)
    subject = models.CharField(_("whose data"), max_length=40)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    summary = models.JSONField(_("what"), default=dict, blank=True)

    class Meta:
        verbose_name = _("privacy log entry")
        verbose_name_plural = _("privacy log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_action_display()} {self.subject} {self.at:%Y-%m-%d}"


class OutboxTask(models.Model):
    """A background task on its way to a worker. It is written in the same
    transaction as the change it announces, so the two stand or fall together;
    it is handed to the broker after the commit and deleted once a worker
    reports the task done. If the broker is away, or loses the task (a crash,
    a worker killed), ``flush_outbox`` hands it over again: a notification is
    late, never lost. Tasks sent this way are written to be run twice safely."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    # The task's id at the broker, the same every time it is handed over, so
    # what the task does once per id (a mail's Message-ID) stays the same.
    token = models.UUIDField(_("token"), default=uuid.uuid4, editable=False)
    sent_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiting task")
        verbose_name_plural = _("waiting tasks")
        ordering = ["created", "pk"]

    def __str__(self):
        return f"{self.task} {self.created:%Y-%m-%d %H:%M}"

    @property
    def task_id(self) -> str:
        return f"outbox-{self.pk}-{self.token.hex}"


class SentMail(models.Model):
    """A mail that left: its Message-ID, so a task run a second time (a
    redelivery, a retry after SMTP accepted but did not answer) does not
    send it again, and if it must, sends it with the same Message-ID."""

    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sent mail")
        verbose_name_plural = _("sent mails")

    def __str__(self):
        return self.message_id
