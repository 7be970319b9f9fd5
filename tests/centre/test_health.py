"""/healthz, and what people see when the database is gone."""

import json
import subprocess
import sys
from http import HTTPStatus

import pytest

from tests.conftest import REPO, clean_env, static_storage

pytestmark = pytest.mark.django_db

# A port nothing listens on: connections are refused at once.
DEAD = "127.0.0.1:9"

PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
out = {}
for path, language in [("/healthz", "da"), ("/", "da"), ("/", "en")]:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    out[path + " " + language] = [response.status_code, response.content.decode()]
print(json.dumps(out))
"""


def probe(env, static_root):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env={
            **clean_env(SAMHUS_VAR_DIR=str(static_root)),
            "DEBUG": "false",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "localhost",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(static_root),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_healthz_ok_in_the_embedded_default(anonymous):
    response = anonymous.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("ok")


def test_database_down_gives_503_and_translated_error_pages(tmp_path):
    out = probe({"DATABASE_URL": f"postgres://samhus@{DEAD}/samhus"}, tmp_path)
    status, body = out["/healthz da"]
    assert status == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(body)["database"] == "unreachable"
    status, body = out["/ da"]
    assert status == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Noget gik galt" in body
    assert "Traceback" not in body
    status, body = out["/ en"]
    assert "Something went wrong" in body


def test_broker_down_gives_503_naming_the_broker(tmp_path):
    # Embedded SQLite in a fresh var dir (/healthz needs no tables) with a dead broker.
    out = probe({"REDIS_URL": f"redis://{DEAD}/0", "SAMHUS_VAR_DIR": str(tmp_path)}, tmp_path)
    status, body = out["/healthz da"]
    assert status == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
        "static": "ok",
    }


@pytest.mark.broker
def test_healthz_ok_against_the_real_broker(anonymous):
    response = anonymous.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "static": "ok",
        "waiting_tasks": 0,
    }


@pytest.fixture
def manifest_storage(settings, tmp_path):
    """Production's static storage on an empty STATIC_ROOT, as before collectstatic."""
    static_storage(
        settings, "django.contrib.staticfiles.storage.ManifestStaticFilesStorage", tmp_path
    )
    return tmp_path


def test_healthz_fails_without_the_static_manifest(anonymous, manifest_storage):
    response = anonymous.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "ok"
    assert response.json()["static"].startswith("no manifest of the static files")
    assert "collectstatic" in response.json()["static"]


def test_healthz_fails_when_the_manifest_lacks_a_file(anonymous, manifest_storage):
    # Collected before css/samhus.css was added, say: pages that use it would fail.
    (manifest_storage / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"js/screen.js": "js/screen.1.js"}})
    )
    response = anonymous.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "missing from the manifest" in response.json()["static"]
