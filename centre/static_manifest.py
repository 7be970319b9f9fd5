"""Are the static files collected for this process? In production (DEBUG off)
every `{% static %}` is looked up in the manifest collectstatic writes; a page
whose file is missing from it fails with a 500. /healthz and
`manage.py check --deploy` ask here."""

import functools
import os
import posixpath

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage


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
