"""Where a link to Samhus points: the one place that decides the scheme and
host every mail and every feed address starts with.

- Made during a request (a page, or a mail a request causes), a link uses
  that request's scheme and host, so Samhus reached at another name or port
  (the demo on 127.0.0.1:8123, a test server, a second domain) links to
  where its reader came from. Only a host Django has validated is used:
  ``request.get_host`` answers for ALLOWED_HOSTS only, and the scheme is
  the one the proxy reported (SECURE_PROXY_SSL_HEADER).
- A mail sent by a task carries the base URL of the request that caused it
  (a ``base_url`` argument, captured when the task is queued, or by
  ``LinkingTask`` when it is handed to the broker); a task with none (beat's
  digest, one the outbox's flush hands over later) uses ``SITE_URL``.
- Texts stored and shared by every reader (the feeds' VEVENTs, Message-IDs)
  use ``SITE_URL`` alone (``site_url``): a visitor's host never goes into
  them.

``CurrentRequest`` (a middleware) makes the request being answered known to
code that is not handed it, e.g. a service that queues a mail."""

import contextvars
import os
import urllib.parse

from celery import Task
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port, validate_host

_request = contextvars.ContextVar("samhus_current_request", default=None)


class CurrentRequest:
    """Middleware: the request being answered, for ``base_url()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def site_url() -> str:
    """The configured public address (``SITE_URL``), without a trailing slash."""
    return settings.SITE_URL.rstrip("/")


def _of_request(request) -> str | None:
    try:
        return request.build_absolute_uri("/").removesuffix("/")
    except DisallowedHost:
        return None


def _allowed_hosts() -> list[str]:
    # As HttpRequest.get_host: DEBUG with no ALLOWED_HOSTS allows the local names.
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [".localhost", "127.0.0.1", "[::1]"]
    return settings.ALLOWED_HOSTS


def _trusted(url: str) -> str | None:
    """``url`` as a base URL, if it is one a request of this Samhus could have
    made: http(s), a host ALLOWED_HOSTS accepts, nothing after the host."""
    try:
        parts = urllib.parse.urlsplit(url)
        domain, _port = split_domain_port(parts.netloc)
    except ValueError:
        return None
    if (
        parts.scheme not in ("http", "https")
        or parts.path.strip("/")
        or parts.query
        or parts.fragment
        or not domain
        or not validate_host(domain, _allowed_hosts())
    ):
        return None
    return f"{parts.scheme}://{parts.netloc}"


def base_url(request=None, *, given: str | None = None) -> str:
    """Scheme and host that links start with, without a trailing slash:

    ``given`` (a base URL captured from a request, as a task receives it) if
    its host is allowed; else ``request``'s, or the current request's; else
    ``SITE_URL``."""
    if given:
        trusted = _trusted(given)
        if trusted:
            return trusted
    request = request if request is not None else _request.get()
    if request is not None:
        found = _of_request(request)
        if found:
            return found
    return site_url()


def absolute(path: str, request=None, *, given: str | None = None) -> str:
    """``path`` (from ``reverse`` or ``get_absolute_url``) as a full address."""
    return base_url(request, given=given) + path


def current_base_url() -> str | None:
    """The current request's base URL, to hand to a task; None outside a request."""
    request = _request.get()
    return _of_request(request) if request is not None else None


class LinkingTask(Task):
    """A task whose mails link to Samhus, taking a ``base_url`` keyword.
    Queued without one while a request is being answered (a service that
    knows nothing of requests queued it), it gets that request's when it is
    handed to the worker; a task handed over later, by the outbox's flush,
    has none and links to ``SITE_URL``."""

    def apply_async(self, args=None, kwargs=None, **options):
        kwargs = dict(kwargs or {})
        if kwargs.get("base_url") is None:
            found = current_base_url()
            if found:
                kwargs["base_url"] = found
        return super().apply_async(args, kwargs, **options)


def serve_at(addrport: str) -> str:
    """Make ``SITE_URL`` the address a local server at ``addrport`` (as
    ``runserver`` takes it: "8000", "127.0.0.1:8000", "0.0.0.0:8000",
    "[::1]:8000") is reached at, for this process and those it starts;
    returns it. A server on every address is reached at the loopback one."""
    host, _colon, port = addrport.rpartition(":")
    if not port.isdigit():
        raise ValueError(f"{addrport!r} is not an address and port, e.g. 127.0.0.1:8000")
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]"}.get(host, host)
    url = f"http://{host}:{port}"
    settings.SITE_URL = url
    os.environ["SITE_URL"] = url
    return url
