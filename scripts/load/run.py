"""The processes and databases of one run: the environment Samhus gets, a
fresh PostgreSQL database and Redis flushed, manage.py commands with their
output in a log, gunicorn with the production settings, and locust headless."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from load import OUT, REPO

# The command itself: the load members are prepared by it in a process of their own.
ENTRY = REPO / "scripts" / "load_test.py"


def samhus_env(
    *, database_url: str, redis_url: str, secret_key: str, var_dir: Path, **extra: str
) -> dict[str, str]:
    """The environment of a Samhus process in this test: the production
    settings (DEBUG off) on loopback, and nothing of the caller's Samhus settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "UV_CACHE_DIR")
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="centre.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # TLS ends at the proxy in production; the load sends X-Forwarded-Proto itself.
        SECURE_SSL_REDIRECT="false",
        SAMHUS_VAR_DIR=str(var_dir),
        STATIC_ROOT=str(var_dir / "static"),
        DATABASE_CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


class Run:
    def __init__(self, options):
        self.options = options
        self.started = time.monotonic()
        self.temp = Path(tempfile.mkdtemp(prefix="samhus-load-"))
        self.admin_url = options.postgres.rstrip("/") + "/postgres"
        self.database_url = options.postgres.rstrip("/") + "/" + options.database
        self.env = samhus_env(
            database_url=self.database_url,
            redis_url=options.redis,
            secret_key="load-" + secrets.token_urlsafe(48),
            var_dir=self.temp,
        )
        self.server: subprocess.Popen | None = None
        self.port = 0
        self.timings: dict[str, float] = {}
        self.children: list[subprocess.Popen] = []

    def stop_children(self) -> None:
        """Stop what a failed step left running (collectstatic)."""
        for process in self.children:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

    def step(self, text: str) -> None:
        print(f"\n=== {text} ({time.monotonic() - self.started:.0f}s)", flush=True)

    def start_manage(self, *args: str, log: Path) -> tuple:
        """Start ``manage.py ARGS`` with its output in ``log``; finish it with finish()."""
        handle = open(log, "a")  # noqa: SIM115 - closed in finish()
        handle.write(f"\n$ manage.py {' '.join(args)}\n")
        handle.flush()
        process = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        self.children.append(process)
        return args, log, handle, process, time.monotonic()

    def finish(self, started: tuple) -> None:
        args, log, handle, process, began = started
        code = process.wait()
        handle.close()
        self.timings[args[0]] = round(time.monotonic() - began, 1)
        if code:
            tail = "".join(log.read_text().splitlines(keepends=True)[-30:])
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{tail}")

    def manage(self, *args: str, log: Path) -> None:
        self.finish(self.start_manage(*args, log=log))

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.options.redis).flushdb()

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.options.database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.options.database}"')

    def drop_database(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.options.database}" WITH (FORCE)')

    def prepare_users(self, data_path: Path) -> dict:
        started = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                str(ENTRY),
                "_prepare",
                str(data_path),
                "--members",
                str(self.options.members),
                "--seed",
                str(self.options.seed),
            ],
            cwd=REPO,
            env=self.env,
        )
        if result.returncode:
            raise SystemExit("Preparing the load members failed (see above).")
        self.timings["users_and_sessions"] = round(time.monotonic() - started, 1)
        return json.loads(data_path.read_text())

    def start_gunicorn(self, log: Path) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.gunicorn_log = open(log, "w")  # noqa: SIM115 - closed in stop_gunicorn
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "centre.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.options.workers),
                "--worker-tmp-dir",
                "/dev/shm",
                "--no-control-socket",
                "--access-logfile",
                str(log.with_suffix(".access.log")),
                "--error-logfile",
                "-",
            ],
            cwd=REPO,
            env=self.env,
            stdout=self.gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            if self.server.poll() is not None:
                raise SystemExit(f"gunicorn exited at start; see {log}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return base
            except (OSError, urllib.error.HTTPError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")
            time.sleep(0.2)

    def warm_up(self, base: str, data: dict) -> int:
        """A few visits to the public pages first, so the run measures a house
        that has been up for a while rather than the first minute after a deploy
        (templates loaded, connections open). Returns the number made."""
        paths = [
            "/",
            "/calendar/",
            "/calendar/?view=week",
            "/calendar/?view=list",
            "/screen/",
            "/screen/?partial=1",
            "/calendar/feed.ics",
            "/calendar/feed.json",
        ]
        paths += [f"/calendar/activities/{pk}/" for pk in data["activities"][:4]]
        made = 0
        for _round in range(2 * self.options.workers):
            for path in paths:
                request = urllib.request.Request(
                    base + path, headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=60) as response:
                    response.read()
                made += 1
        return made

    def stop_gunicorn(self) -> None:
        if self.server is None:
            return
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.gunicorn_log.close()

    def run_locust(self, base: str, data_path: Path, log: Path) -> tuple[int, bool]:
        env = {**os.environ, "SAMHUS_LOAD_DATA": str(data_path)}
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(REPO / "scripts" / "locustfile.py"),
            "--headless",
            "--host",
            base,
            "-u",
            str(self.options.users),
            "-r",
            str(self.options.spawn_rate),
            "-t",
            self.options.duration,
            "--csv",
            str(OUT / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        cpu_warning = False
        with open(log, "w") as handle:
            process = subprocess.Popen(
                command,
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            )
            assert process.stdout is not None
            for line in process.stdout:
                handle.write(line)
                if "CPU usage" in line:
                    cpu_warning = True
                    print("  locust: " + line.strip(), flush=True)
            code = process.wait()
        return code, cpu_warning
