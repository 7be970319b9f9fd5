"""Celery: eager in the embedded default, a real worker on Redis in production."""

import subprocess
import sys

import pytest
from django.db import transaction

from centre.models import ClosedDay
from centre.outbox import enqueue_on_commit
from centre.tasks import fill_public_holidays
from tests.conftest import REPO, clean_env, wait_for


@pytest.mark.django_db
def test_task_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        enqueue_on_commit(fill_public_holidays)
        assert not ClosedDay.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert ClosedDay.objects.count() >= 20  # eager in tests: ran in this process


BROKER_DOWN = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import transaction
from centre.models import ClosedDay
from centre.outbox import enqueue_on_commit
from centre.tasks import fill_public_holidays
from centre.models import OutboxTask
from centre.tasks import flush_outbox
with transaction.atomic():
    ClosedDay.objects.create(date="2031-07-01", name="Sommerlukket")
    enqueue_on_commit(fill_public_holidays)
entry = OutboxTask.objects.get()
print("outbox", entry.task, entry.attempts, bool(entry.last_error))
print("flushed", flush_outbox(grace_seconds=0), OutboxTask.objects.get().attempts)
print("kept", ClosedDay.objects.filter(name="Sommerlukket").count())
"""


def test_broker_down_keeps_the_write_and_the_task(tmp_path):
    env = clean_env(SAMHUS_VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:9/0")
    result = subprocess.run(
        [sys.executable, "-c", BROKER_DOWN],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # The task waits in the outbox; a flush while the broker is still away keeps it.
    assert "outbox centre.tasks.fill_public_holidays 1 True" in lines
    assert "flushed 0 2" in lines
    assert lines[-1] == "kept 1"
    assert "Broker unreachable" in result.stderr
    assert "kept in the outbox" in result.stderr


@pytest.mark.postgres
@pytest.mark.broker
def test_real_worker_runs_the_task_after_commit(celery_worker_process):
    with transaction.atomic():
        enqueue_on_commit(fill_public_holidays)
    assert wait_for(lambda: ClosedDay.objects.count() >= 20, timeout=60), (
        REPO / "var" / "test-worker.log"
    ).read_text()[-2000:]
    assert "centre.tasks.fill_public_holidays" in (REPO / "var" / "test-worker.log").read_text()
