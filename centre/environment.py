"""Reading Samhus's environment variables for centre/settings.py: each reader
returns the default for an unset variable, and notes a wrong one in
``errors`` (settings stops the process with them all, one line) instead of
failing at the first."""

import os
from urllib.parse import unquote

from django.core.exceptions import ImproperlyConfigured

errors: list[str] = []
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def boolean(name: str, default: bool) -> bool:
    raw = text(name)
    if not raw:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    errors.append(f"{name} must be true or false, not {raw!r}.")
    return default


def integer(name: str, default: int) -> int:
    raw = text(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        errors.append(f"{name} must be a whole number, not {raw!r}.")
        return default


def items(name: str, default: list[str] | None = None) -> list[str]:
    raw = text(name)
    if not raw:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def url_config(name: str, parse, allowed_schemes: tuple[str, ...]):
    raw = text(name)
    if not raw:
        return None
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in allowed_schemes:
        errors.append(f"{name} must start with one of {', '.join(allowed_schemes)}:// .")
        return None
    try:
        return parse(raw)
    except (ImproperlyConfigured, ValueError, KeyError) as exc:
        errors.append(f"{name} could not be read: {exc}.")
        return None


def database_config(name: str, parse, allowed_schemes: tuple[str, ...]):
    """`url_config` for a database URL. The host may be a Unix socket's
    directory written as libpq writes it in a URL, percent-encoded
    (``postgres://samhus@%2Fvar%2Frun%2Fpostgresql/samhus``): the parser
    keeps it encoded, and the driver would look the text up as a host name."""
    config = url_config(name, parse, allowed_schemes)
    if config and "%" in config.get("HOST", ""):
        config["HOST"] = unquote(config["HOST"])
    return config
