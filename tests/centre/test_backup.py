"""The documented backup restores: scripts/backup_check.py dumps the test
database with pg_dump -Fc, restores it into a scratch database and compares
every table's row count."""

import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import REPO, clean_env
from tests.factories import BookingFactory, RoomFactory

pytestmark = pytest.mark.postgres


def test_a_backup_restores_with_every_row(transactional_db, actor):
    BookingFactory(actor=actor, room=RoomFactory())
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "scripts/backup_check.py"],
        cwd=REPO,
        env=clean_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every count matches" in result.stdout
