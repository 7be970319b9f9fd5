"""Running Samhus in production: beat's schedule file, the systemd units and
.env.example agree with settings.py."""

import subprocess
import sys

from tests.conftest import REPO, clean_env


def test_beats_schedule_file_is_in_the_var_dir(tmp_path):
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from centre.celery import app; print(app.conf.beat_schedule_filename)",
        ],
        cwd=REPO,
        env=clean_env(SAMHUS_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert printed == str(tmp_path / "celerybeat-schedule")
