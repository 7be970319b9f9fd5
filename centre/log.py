"""Logging: a client's error is one line. Django logs a 403 that a view raised
(PermissionDenied) with its traceback, as if it were a fault; a log of those
buries the 500s, which keep theirs."""

import logging

from django.utils.functional import empty


class ClientErrorsOneLine(logging.Filter):
    """On django.request, a 4xx becomes "403 GET /house/ user=12" without a
    traceback; the user is named only if the request already looked them up
    (a log line must not query the database). On the django.security logger
    it is set on in `config` (DisallowedHost: a request for a host
    Samhus does not answer to, which every scanner on the internet sends) the
    line keeps the reason, e.g. "400 GET /:
    Invalid HTTP_HOST header: 'evil.example'. …"."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status is None or not 400 <= status < 500 or request is None:
            return True
        reason = ""
        if record.name.startswith("django.security."):
            reason = ": " + record.getMessage().replace("\n", "\\n").replace("\r", "\\r")
        record.msg = "%s %s %s%s%s"
        record.args = (status, request.method, _escaped(request.path), _user(request), reason)
        record.exc_info = None
        record.exc_text = None
        return True


def _escaped(text: str) -> str:
    # As Django does: a path with a line break must not forge a log line.
    return text.encode("unicode_escape").decode("ascii")


def _user(request) -> str:
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)  # a SimpleLazyObject not yet evaluated is empty
    if user is None or user is empty:
        return ""
    return f" user={user.pk}" if user.is_authenticated else " anonymous"


def config(level: str) -> dict:
    """settings.LOGGING: everything to standard error at ``level``; a 403 or
    404, or a request for a host Samhus does not serve, is one line (status,
    method, path, user): a 500 keeps its traceback."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"client_errors": {"()": "centre.log.ClientErrorsOneLine"}},
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "django.request": {"filters": ["client_errors"]},
            "django.security.DisallowedHost": {"filters": ["client_errors"]},
        },
    }
