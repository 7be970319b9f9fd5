"""What beat runs, and how often (``CELERY_BEAT_SCHEDULE`` in settings.py).
Each task decides itself whether there is anything to do; beat only wakes it."""

DAY = 24 * 60 * 60


def beat_schedule(*, offer_check_seconds: int, outbox_seconds: int) -> dict:
    return {
        "fill-public-holidays": {"task": "centre.tasks.fill_public_holidays", "schedule": DAY},
        "extend-booking-series": {"task": "bookings.tasks.extend_series", "schedule": DAY},
        "signup-reminders": {"task": "signups.tasks.reminders_due", "schedule": 15 * 60},
        "signup-holds": {"task": "signups.tasks.release_holds", "schedule": 5 * 60},
        "signup-erase": {"task": "signups.tasks.erase_personal_data", "schedule": DAY},
        "digest-due": {"task": "collaboration.tasks.digest_due", "schedule": 5 * 60},
        # The season's waiting list: expired offers pass to the next (seasons.tasks).
        "expire-season-offers": {
            "task": "seasons.tasks.expire_offers",
            "schedule": offer_check_seconds,
        },
        "ask-to-confirm-dates": {"task": "seasons.tasks.ask_to_confirm", "schedule": DAY},
        # Sends what waited in the outbox while the broker was away (centre.outbox).
        "flush-outbox": {"task": "centre.tasks.flush_outbox", "schedule": outbox_seconds},
    }
