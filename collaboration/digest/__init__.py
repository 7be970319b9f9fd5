"""The house council's weekly digest, built from the house's own data and
delivered exactly once per recipient and period.

- **When**: weekly on the centre's weekday and time (default Monday 07:00,
  Europe/Copenhagen). A period is named by the date of its scheduled moment.
  Beat asks every few minutes; only the latest period that is due is ever
  created, so a beat that was down for days sends the current digest once
  and no stale ones.
- **Who**: current council members unless they opted out, and anyone who
  opted in. A recipient without a verified address is recorded as skipped.
- **Exactly once**: one DigestDelivery row per (period, recipient), unique in
  the database; a send claims its row by a conditional update
  (pending → sending) before talking to SMTP, so a second worker or a
  redelivered task finds nothing to claim. SMTP failures put the row back to
  pending with a later attempt time and the task retries with exponential
  backoff; after the last retry the row is failed, for coordinators to see.
- **Content**: each section is computed once and rendered once per language;
  a recipient's mail only assembles the sections they keep.

subscriptions.py says who receives it, build.py what it says, send.py when
and how each one goes out; views.py has its pages, collaboration/tasks.py the
beat and worker tasks."""

from .build import Builder, Content, Rendered, build_all, gather, message_for, render
from .send import (
    MAX_RETRIES,
    SMTP_ERRORS,
    STALE_CLAIM,
    claim,
    create_deliveries,
    current_period,
    due_deliveries,
    fail,
    fail_stale_claims,
    latest_due,
    release_for_retry,
    scheduled_moment,
    send_claimed,
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
    "STALE_CLAIM",
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
    "fail_stale_claims",
    "gather",
    "latest_due",
    "message_for",
    "recipients",
    "release_for_retry",
    "render",
    "scheduled_moment",
    "send_claimed",
    "subscription_for",
    "unsubscribe_token",
    "user_for_token",
    "verified_addresses",
]
