from .giveback import date_release, no_show, offer, room_ask, waiting_create
from .rounds import (
    application_edit,
    decision_edit,
    decisions_csv,
    fair_use,
    proposal,
    propose,
    publish,
    round_detail,
    round_edit,
    round_list,
)

__all__ = [
    "application_edit",
    "date_release",
    "decision_edit",
    "decisions_csv",
    "fair_use",
    "no_show",
    "offer",
    "proposal",
    "propose",
    "publish",
    "room_ask",
    "round_detail",
    "round_edit",
    "round_list",
    "waiting_create",
]
