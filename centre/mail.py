"""How Samhus builds a mail: one function, used by every mail it sends
(invitations, booking notifications, the council's digest).

A mail is three templates side by side: ``<template>_subject.txt``,
``<template>.txt`` and, when there is one, ``<template>.html`` — a fragment,
the mail's own words. Every mail has both parts: the HTML part is that fragment
(or, for a mail with only a text template, its text with links and paragraphs)
inside the house's one layout, ``templates/email/layout.html``: inline CSS and
tables that Outlook, Gmail and Apple Mail all read, light colours set on every
cell so a dark mode cannot leave dark text on a dark ground, the house's name
and address, ``lang`` and ``dir``. All of them are rendered in the recipient's
language (pretix's rule: what the recipient reads
is decided by the recipient, not by whoever triggered the mail). The text
parts are plain text, never HTML-escaped; the subject is collapsed to one
line, so nothing a user typed can add a header. Sending, and when to send,
stay with the caller: the digest's exactly-once delivery claims its row first.
The links in a mail start with ``centre.links.base_url``: the host of the
request that caused the mail, or SITE_URL.

Every mail carries a Message-ID made from a key that names the one delivery
(``message_id``), so a mail sent a second time — a task redelivered after its
worker died, a retry after SMTP took the message but answered too late — has
the same Message-ID, and the recipient's mail program shows it once.
``send_once`` also records it, and a task run again skips what has left. A
mail the server refuses for good (a 5xx for its recipient or its content)
is logged and skipped, so one address that no longer exists does not stop
the same news reaching everyone after it; a 4xx is raised, and retried.

allauth's own mails (address confirmation, password reset) keep allauth's
templates; they are rendered in the request and sent by a task with retries
(centre.adapter, centre.tasks.send_rendered_mail), from the request itself
only when the broker is away (centre.outbox.enqueue_awaited_on_commit)."""

import logging
import re
import smtplib
import urllib.parse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation
from django.utils.safestring import mark_safe

from . import links

logger = logging.getLogger(__name__)


def _plain(name: str, context: dict) -> str:
    """A text template rendered without HTML escaping."""
    return Engine.get_default().get_template(name).render(Context(context, autoescape=False))


def subject_line(template: str, context: dict) -> str:
    """``<template>_subject.txt`` on one line, unescaped, in the active language."""
    return " ".join(_plain(f"{template}_subject.txt", context).split())


def message(
    *,
    to: list[str],
    template: str,
    context: dict,
    language: str,
    headers: dict[str, str] | None = None,
    reply_to: list[str] | None = None,
    base_url: str | None = None,
) -> EmailMultiAlternatives:
    """The mail for ``to`` from ``template`` in ``language``, from the
    house's address, with ``headers`` (Message-ID, List-Unsubscribe…) added;
    not sent. ``base_url`` is the one the caller's own links start with (a
    task's, see ``centre.links``): the layout's link to the house uses it too."""
    engine = Engine.get_default()
    with translation.override(language):
        subject = subject_line(template, context)
        text = _plain(f"{template}.txt", context)
        try:
            own = engine.get_template(f"{template}.html")
        except TemplateDoesNotExist:
            own = engine.get_template("email/from_text.html")
            content = own.render(Context({"text": text}))
        else:
            content = own.render(Context(context))
        html = engine.get_template("email/layout.html").render(
            Context(
                {
                    "subject": subject,
                    "content": mark_safe(content),  # rendered above, escaped there
                    "house": context.get("centre") or _house(),
                    "base_url": links.base_url(given=base_url),
                }
            )
        )
    mail = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        list(to),
        headers=headers or {},
        reply_to=reply_to,
    )
    mail.attach_alternative(html, "text/html")
    return mail


def _house():
    from .models import Centre

    return Centre.load()


def message_id(key: str) -> str:
    """The Message-ID of the delivery named ``key`` (the same key, the same id),
    at the house's own domain."""
    domain = urllib.parse.urlsplit(links.site_url()).hostname or "samhus.invalid"
    return f"<{re.sub(r'[^A-Za-z0-9.-]', '-', key)}@{domain}>"


def send_once(mail: EmailMultiAlternatives, key: str) -> bool:
    """Send ``mail`` with the Message-ID of ``key`` unless a mail with it has
    left already; record it once SMTP has taken it. False when skipped."""
    from .models import SentMail

    identity = message_id(key)
    if SentMail.objects.filter(message_id=identity).exists():
        return False
    mail.extra_headers["Message-ID"] = identity
    try:
        mail.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
        if not refused_for_good(error):
            raise
        logger.warning("Mail %s to %s refused for good: %s", identity, mail.to, error)
        return False
    SentMail.objects.get_or_create(message_id=identity)
    return True


def refused_for_good(error: smtplib.SMTPException) -> bool:
    """A 5xx for every recipient, or for the message: sending it again changes nothing."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
    else:
        codes = [getattr(error, "smtp_code", 0)]
    return bool(codes) and all(500 <= code < 600 for code in codes)


def task(name: str):
    """The decorator of a task that mails: bound (its id names its mails),
    acknowledged only when done (a worker that dies mid-send leaves it for
    another), retried on trouble that passes (SMTP, the network, the database
    away for a moment: centre.outbox.TRANSIENT), and taking a ``base_url`` for
    its links (centre.links.LinkingTask gives it the host the request came to)."""
    from celery import shared_task

    from .links import LinkingTask
    from .outbox import TRANSIENT

    return shared_task(
        name=name,
        base=LinkingTask,
        bind=True,
        acks_late=True,
        autoretry_for=TRANSIENT,
        retry_backoff=30,
        # Each wait at most five minutes, well inside the outbox's resend
        # period, which hands the task over again after its last retry.
        retry_backoff_max=300,
        max_retries=5,
    )
