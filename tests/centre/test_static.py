"""The static files' storages (centre/static_manifest.py): each file's address
worked out once per process, the same address the storage they extend gives."""

import pytest
from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.templatetags.static import static
from whitenoise.storage import CompressedManifestStaticFilesStorage

from centre.static_manifest import ManifestStorage
from tests.conftest import static_storage


@pytest.fixture
def production_storage(settings, collected_static):
    static_storage(settings, "centre.static_manifest.ManifestStorage", collected_static)
    return staticfiles_storage


def counting(monkeypatch, storage_class) -> list[str]:
    """The names the storage ``storage_class`` works an address out for."""
    asked = []
    original = storage_class.url

    def url(self, name, *args):
        asked.append(name)
        return original(self, name, *args)

    monkeypatch.setattr(storage_class, "url", url)
    return asked


def test_production_works_out_each_address_once_and_as_whitenoise_does(
    production_storage, collected_static, monkeypatch
):
    plain = CompressedManifestStaticFilesStorage(location=collected_static)
    expected = plain.url("css/samhus.css"), plain.url("js/forms.js")
    assert expected[0] != "/static/css/samhus.css"  # named by its hash
    asked = counting(monkeypatch, CompressedManifestStaticFilesStorage)
    assert static("css/samhus.css") == expected[0]
    assert static("css/samhus.css") == expected[0]
    assert static("js/forms.js") == expected[1]
    assert asked == ["css/samhus.css", "js/forms.js"]


def test_a_file_missing_from_the_manifest_fails_every_time(production_storage):
    for _again in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            static("css/nothing-here.css")


def test_collectstatic_forgets_the_addresses_it_may_have_changed(collected_static):
    storage = ManifestStorage(location=collected_static)
    before = storage.url("css/samhus.css")
    changed = "css/samhus.0123456789ab.css"
    storage.hashed_files["css/samhus.css"] = changed
    assert storage.url("css/samhus.css") == before  # kept while the manifest stands
    list(storage.post_process({}, dry_run=True))  # starts a new manifest
    storage.hashed_files["css/samhus.css"] = changed
    assert storage.url("css/samhus.css") == "/static/" + changed


def test_the_embedded_storage_keeps_the_files_names(settings, monkeypatch):
    static_storage(settings, "centre.static_manifest.Storage", settings.STATIC_ROOT)
    asked = counting(monkeypatch, StaticFilesStorage)
    assert static("css/samhus.css") == static("css/samhus.css") == "/static/css/samhus.css"
    assert asked == ["css/samhus.css"]
