"""Every write of the season with rules: applying, the proposal and its
changes, publishing, and giving back (release, waiting list, offers, asks,
no-shows). Callers use the names below: `from seasons import services`."""

from .giveback import (
    confirm_answer,
    confirm_asks_send,
    date_release,
    no_show_record,
    offer_accept,
    offer_decline,
    offer_next,
    offers_expire,
    waiting_join,
)
from .rounds import (
    application_save,
    application_withdraw,
    decision_change,
    proposal_make,
    rank_of,
    round_publish,
    rules_of,
)

__all__ = [
    "application_save",
    "application_withdraw",
    "confirm_answer",
    "confirm_asks_send",
    "date_release",
    "decision_change",
    "no_show_record",
    "offer_accept",
    "offer_decline",
    "offer_next",
    "offers_expire",
    "proposal_make",
    "rank_of",
    "round_publish",
    "rules_of",
    "waiting_join",
]
