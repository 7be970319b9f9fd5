"""Celery for Samhus. With REDIS_URL set, tasks go to Redis and run in worker
processes; without it they run eagerly in the calling process (settings.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centre.settings")

app = Celery("samhus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
