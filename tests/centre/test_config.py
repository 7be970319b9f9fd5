"""Settings come from the environment; a wrong value stops Samhus with one line."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO, clean_env

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-for-checks-1234567890",
    "ALLOWED_HOSTS": "samhus.example.dk",
    "CSRF_TRUSTED_ORIGINS": "https://samhus.example.dk",
    "DATABASE_URL": "postgres://samhus@127.0.0.1:5432/samhus",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://samhus:secret@smtp.example.dk:587",
    "SITE_URL": "https://samhus.example.dk",
}


def manage(*args, env=None, var_dir=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=clean_env(SAMHUS_VAR_DIR=str(var_dir), **(env or {})),
        capture_output=True,
        text=True,
        timeout=120,
    )


def printed(code: str, env: dict, var_dir) -> list[str]:
    """The words of the last line ``code`` prints in `manage.py shell`."""
    result = manage("shell", "-c", code, env=env, var_dir=var_dir)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split()


def test_check_deploy_is_clean_with_production_settings(tmp_path, collected_static):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "STATIC_ROOT": collected_static},
        var_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_the_static_files_are_not_collected(tmp_path):
    env = {**PRODUCTION, "STATIC_ROOT": str(tmp_path / "static")}
    result = manage("check", "--deploy", env=env, var_dir=tmp_path)
    assert result.returncode == 1
    assert "samhus.E001" in result.stderr
    assert "collectstatic" in result.stderr


def test_check_deploy_warns_that_mail_is_disabled(tmp_path, collected_static):
    env = {**PRODUCTION, "STATIC_ROOT": collected_static, "SAMHUS_MAIL_DISABLED": "true"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, var_dir=tmp_path)
    assert result.returncode == 1
    assert "samhus.W004" in result.stderr


@pytest.mark.parametrize(
    ("missing", "warning"),
    [("EMAIL_URL", "samhus.W001"), ("REDIS_URL", "samhus.W002"), ("SITE_URL", "samhus.W003")],
)
def test_check_deploy_warns_about_a_half_configured_production(
    tmp_path, collected_static, missing, warning
):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    env["STATIC_ROOT"] = collected_static
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, var_dir=tmp_path)
    assert result.returncode == 1
    assert warning in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "perhaps"}, "DEBUG"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
        ({"REDIS_URL": "amqp://guest@localhost"}, "REDIS_URL"),
        ({"EMAIL_URL": "smtp-ish://example"}, "EMAIL_URL"),
        ({"DATABASE_CONN_MAX_AGE": "a minute"}, "DATABASE_CONN_MAX_AGE"),
        ({"DATABASE_PREPARED": "sometimes"}, "DATABASE_PREPARED"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X Real IP"}, "TRUSTED_CLIENT_IP_HEADER"),
    ],
)
def test_bad_configuration_is_one_line_naming_the_variable(tmp_path, change, named):
    result = manage("check", env={**PRODUCTION, **change}, var_dir=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
    assert "Traceback" not in result.stderr


def test_embedded_default_needs_no_environment(tmp_path):
    result = manage("check", var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    # The embedded default keeps its generated key, and the SQLite file, under var/.
    assert (tmp_path / "secret_key").exists()


def test_embedded_default_uses_sqlite_eager_celery_and_console_mail(settings):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("this run is configured for PostgreSQL")
    from django.conf import settings as live

    assert live.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert live.CELERY_TASK_ALWAYS_EAGER is True
    assert live.TIME_ZONE == "Europe/Copenhagen"
    assert live.USE_TZ is True
    assert live.LANGUAGE_CODE == "da"


@pytest.mark.parametrize(
    ("env", "count", "header"),
    [
        ({}, "0", "None"),
        ({"TRUSTED_PROXY_COUNT": "1"}, "1", "None"),
        ({"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}, "0", "X-Real-IP"),
    ],
)
def test_the_proxy_is_trusted_only_when_configured(tmp_path, env, count, header):
    code = (
        "from allauth import app_settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.TRUSTED_CLIENT_IP_HEADER)"
    )
    assert printed(code, {**PRODUCTION, **env}, tmp_path) == [count, header]


@pytest.mark.parametrize(
    ("env", "options"),
    [
        ({}, "True 2"),
        ({"DATABASE_PREPARED": "false"}, "None None"),
    ],
)
def test_postgresql_prepares_statements_unless_told_not_to(tmp_path, env, options):
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default']['OPTIONS']; "
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    assert printed(code, {**PRODUCTION, **env}, tmp_path) == options.split()


@pytest.mark.parametrize(
    ("url", "host", "port"),
    [
        ("postgres://samhus@%2Fvar%2Frun%2Fpostgresql/samhus", "/var/run/postgresql", ""),
        ("postgresql://samhus@%2Frun%2Fpg:5433/samhus", "/run/pg", "5433"),
        ("postgres://samhus@db.example.dk:5432/samhus", "db.example.dk", "5432"),
        ("postgres://samhus:p%40ss@db.example.dk/samhus", "db.example.dk", ""),
    ],
)
def test_a_unix_socket_is_read_from_a_percent_encoded_host(tmp_path, url, host, port):
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(repr(d['HOST']), repr(str(d['PORT'])), repr(d['PASSWORD']))"
    )
    words = printed(code, {**PRODUCTION, "DATABASE_URL": url}, tmp_path)
    assert words[:2] == [repr(host), repr(port)]
    # The rest of the URL is read as before: a percent-encoded password too.
    assert words[2] == repr("p@ss" if "p%40ss" in url else "")


SOCKETS = "/var/run/postgresql"


@pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") and os.path.exists(f"{SOCKETS}/.s.PGSQL.5432")),
    reason="needs PostgreSQL with its socket in /var/run/postgresql",
)
def test_postgresql_is_reached_through_its_unix_socket(tmp_path):
    from django.db import connection

    url = f"postgres://{connection.settings_dict['USER']}@{SOCKETS.replace('/', '%2F')}/postgres"
    code = (
        "from django.db import connection as c; c.ensure_connection(); "
        "print(c.connection.info.host, c.connection.info.dbname)"
    )
    env = {**PRODUCTION, "DATABASE_URL": url, "PGPASSWORD": os.environ.get("PGPASSWORD", "")}
    assert printed(code, env, tmp_path) == [SOCKETS, "postgres"]
