"""The static files' storages, and whether the static files are collected for
this process. In production (DEBUG off) every `{% static %}` is looked up in
the manifest collectstatic writes; a page whose file is missing from it fails
with a 500. /healthz and `manage.py check --deploy` ask here."""

import functools
import os
import posixpath

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import (
    ManifestFilesMixin,
    StaticFilesStorage,
    staticfiles_storage,
)
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Addresses kept per process: a page asks for six to eight, the whole site for a few dozen.
_KEPT = 256


class _Addresses:
    """A storage that works out each file's address once per process. The
    address depends only on the file's name and, in production, on the
    manifest the process reads when it starts; working it out (parsing and
    quoting the name, looking it up, joining it to STATIC_URL) cost every
    page about 0.3 ms for its six to eight files."""

    def url(self, name, *args, **kwargs):
        if args or kwargs:  # the manifest storage's ``force``: as it is
            return super().url(name, *args, **kwargs)
        addresses = self.__dict__.setdefault("_addresses", {})
        found = addresses.get(name)
        if found is None:
            if len(addresses) >= _KEPT:
                addresses.clear()
            found = addresses[name] = super().url(name)
        return found


class Storage(_Addresses, StaticFilesStorage):
    """The files as they are (DEBUG on: the embedded default, development)."""


class ManifestStorage(_Addresses, CompressedManifestStaticFilesStorage):
    """Production's: whitenoise's compressed files, named by their hash."""

    def post_process(self, *args, **kwargs):
        # collectstatic writes a new manifest: no address read before it stands.
        self.__dict__.pop("_addresses", None)
        yield from super().post_process(*args, **kwargs)
        self.__dict__.pop("_addresses", None)


def problem() -> str | None:
    """None when every static file is in the manifest this process loaded (or
    the storage needs none), else what is wrong and what to do."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None
    # The storage reads the manifest once, when the process first uses it: a
    # collectstatic run after the start needs a restart too.
    hashed = staticfiles_storage.hashed_files
    if not hashed:
        return (
            f"no manifest of the static files in STATIC_ROOT ({settings.STATIC_ROOT}): "
            "run manage.py collectstatic, then restart"
        )
    missing = sorted(name for name in _sources() if name not in hashed)
    if missing:
        return (
            f"{len(missing)} static file(s) missing from the manifest, e.g. {missing[0]}: "
            "run manage.py collectstatic, then restart"
        )
    return None


@functools.cache
def _sources() -> frozenset[str]:
    """Every file collectstatic would collect; the code does not change while
    the process runs."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    return frozenset(
        posixpath.join(getattr(storage, "prefix", None) or "", name.replace(os.sep, "/"))
        for finder in finders.get_finders()
        for name, storage in finder.list(ignore)
    )
