"""The house council's weekly digest, built from the house's own data and
delivered exactly once per recipient and period.

- **When**: weekly on the centre's weekday and time (default Monday 07:00,
  Europe/Copenhagen). A period is named by the date of its scheduled moment.
  Beat asks every few minutes; only the latest period that is due is ever
  created, and not when it is hours late: a beat that was down for days, or
  started on a copy of old data, sends nothing until a coordinator says
  "send now".
- **Who**: current council members unless they opted out, and anyone who
  opted in. A recipient without a verified address is recorded as skipped.
- **Exactly once**: one DigestDelivery row per (period, recipient), unique in
  the database; a send claims its row by a conditional update
  (pending → sending) before talking to SMTP, so a second worker or a
  redelivered task finds nothing to claim. SMTP failures put the row back to
  pending with a later attempt time and the task retries with exponential
  backoff; after the last retry the row is failed, for coordinators to see
  and send again. Each row's mail has one Message-ID; a send interrupted
  half-way is sent again after a few minutes with the same one.
- **Content**: each section is computed once and rendered once per language;
  a recipient's mail only assembles the sections they keep.

subscriptions.py says who receives it, build.py what it says, send.py when
and how each one goes out; views.py has its pages, collaboration/tasks.py the
beat and worker tasks."""

from .build import Builder, Content, Rendered, build_all, gather, message_for, render
from .send import (
    MAX_RETRIES,
    SMTP_ERRORS,
    claim,
    create_deliveries,
    current_period,
    due_deliveries,
    fail,
    is_late,
    latest_due,
    message_key,
    missed,
    release_for_retry,
    requeue_stale_claims,
    resend,
    scheduled_moment,
    send_claimed,
    stale_claim,
)
from .subscriptions import (
    TOKEN_SALT,
    recipients,
    subscription_for,
    unsubscribe_token,
    user_for_token,
    verified_addresses,
)

__all__ = [
    "MAX_RETRIES",
    "SMTP_ERRORS",
    "TOKEN_SALT",
    "Builder",
    "Content",
    "Rendered",
    "build_all",
    "claim",
    "create_deliveries",
    "current_period",
    "due_deliveries",
    "fail",
    "gather",
    "is_late",
    "latest_due",
    "message_for",
    "message_key",
    "missed",
    "recipients",
    "release_for_retry",
    "render",
    "requeue_stale_claims",
    "resend",
    "scheduled_moment",
    "send_claimed",
    "stale_claim",
    "subscription_for",
    "unsubscribe_token",
    "user_for_token",
    "verified_addresses",
]
