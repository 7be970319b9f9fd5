"""Prove a backup restores: dump Samhus's PostgreSQL database with
`pg_dump -Fc`, restore it into a scratch database with `pg_restore`, and
compare every table's row count. Exits 1 on any difference.

    DATABASE_URL=postgres://user:pass@host:5432/samhus uv run python scripts/backup_check.py [--keep samhus.dump]

The scratch database (<name>_restore_check) is dropped afterwards."""

import argparse
import os
import subprocess
import sys
import tempfile
from urllib.parse import urlsplit

import psycopg


def _connection_env(url) -> dict:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return env


def _args(url) -> list[str]:
    return [
        "-h",
        url.hostname or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]


def _counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="keep the dump in this file")
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    url = urlsplit(database_url)
    if url.scheme not in ("postgres", "postgresql", "pgsql") or not url.path.strip("/"):
        print("Set DATABASE_URL to the PostgreSQL database to check.", file=sys.stderr)
        return 2
    name = url.path.strip("/")
    scratch = f"{name}_restore_check"
    env = _connection_env(url)
    dump = options.keep or os.path.join(tempfile.mkdtemp(), f"{name}.dump")
    subprocess.run(["pg_dump", *_args(url), "-Fc", "-f", dump, name], check=True, env=env)
    base = database_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(
            ["pg_restore", *_args(url), "--no-owner", "-d", scratch, dump], check=True, env=env
        )
        original, restored = _counts(database_url), _counts(f"{base}/{scratch}")
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    differences = {
        table: (original.get(table), restored.get(table))
        for table in sorted(set(original) | set(restored))
        if original.get(table) != restored.get(table)
    }
    rows = sum(original.values())
    if differences:
        for table, (before, after) in differences.items():
            print(f"DIFFERENT {table}: {before} in the database, {after} restored")
        return 1
    print(
        f"Restored {len(original)} tables, {rows} rows: every count matches. Dump: {os.path.getsize(dump)} bytes."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
