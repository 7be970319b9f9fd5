"""The house's own colour and logo: the contrast check, the upload's limits, the
logo's text for screen readers, and both shown in the header and the mails."""

from http import HTTPStatus

import pytest
from django.core import mail as outbox
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centre import mail
from centre.colour import (
    DEFAULT_BRAND,
    contrast_ratio,
    darker,
    relative_luminance,
    validate_brand_colour,
)
from centre.models import Centre
from tests.conftest import png

# --- the contrast function ----------------------------------------------------------------


def test_relative_luminance_of_black_white_and_a_grey():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    # WCAG's worked value: sRGB 0x77 is 0.1845 linear.
    assert relative_luminance("#777777") == pytest.approx(0.1845, abs=1e-4)


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes on white
        ("#777777", "#ffffff", 4.48),
        ("#0b4f8a", "#ffffff", 8.40),  # Samhus's blue
        ("#ffffff", "#0b4f8a", 8.40),  # the order does not matter
    ],
)
def test_contrast_ratio_matches_wcag(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("colour", ["0b4f8a", "#0b4f8", "#0b4f8g", "", "red", "#0b4f8a0"])
def test_a_colour_not_written_as_six_hex_digits_is_refused(colour, english_messages):
    with pytest.raises(Exception, match="six hexadecimal digits"):
        validate_brand_colour(colour)


def test_a_light_colour_is_refused_and_a_dark_one_passes(english_messages):
    validate_brand_colour(DEFAULT_BRAND)
    validate_brand_colour("#1d6b35")
    with pytest.raises(Exception, match=r"4\.5:1"):
        validate_brand_colour("#ffbf47")


def test_the_darker_shade_is_darker():
    assert darker("#ffffff", 0.25) == "#bfbfbf"
    assert relative_luminance(darker(DEFAULT_BRAND)) < relative_luminance(DEFAULT_BRAND)


# --- the coordinator's form ------------------------------------------------------------------


def house_post(**changes):
    return {
        "name": "Kvarterhuset",
        "kind": "housing_area",
        "booking_window_days": 365,
        "weekly_quota_hours": 0,
        "cancellation_deadline_hours": 24,
        "digest_weekday": 0,
        "digest_time": "07:00",
        "brand_colour": DEFAULT_BRAND,
        **changes,
    }


def edit(client, language="en", **changes):
    return client.post(
        reverse("centre:centre-edit"), house_post(**changes), HTTP_ACCEPT_LANGUAGE=language
    )


def test_the_form_offers_a_colour_picker_and_an_upload(coordinator_client):
    page = coordinator_client.get(reverse("centre:centre-edit")).content.decode()
    assert 'type="color"' in page and 'name="brand_colour"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="logo"' in page


def test_a_readable_colour_is_saved_and_colours_every_page(coordinator_client, client):
    response = edit(coordinator_client, brand_colour="#1D6B35")
    assert response.status_code == HTTPStatus.FOUND
    assert Centre.load().brand_colour == "#1d6b35"
    response = client.get("/")
    page = response.content.decode()
    assert "--brand: #1d6b35;" in page
    # The <style> carries the nonce the policy allows, and only that one.
    nonce = page.split('<style nonce="', 1)[1].split('"', 1)[0]
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_samhus_blue_needs_no_inline_style(client, db):
    assert "<style" not in client.get("/").content.decode()


def test_a_colour_that_slipped_past_the_form_is_never_written_out(client, db):
    Centre.load()
    Centre.objects.filter(pk=1).update(brand_colour="red;}")
    assert "<style" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This colour has a contrast of only 1.50:1"),
        ("da", "Farven har en kontrast på kun 1,50:1"),
    ],
)
def test_a_light_colour_is_refused_with_the_measured_ratio(coordinator_client, language, message):
    response = edit(coordinator_client, language=language, brand_colour="#ffbf47")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert Centre.load().brand_colour == DEFAULT_BRAND
    assert Centre.load().name != "Kvarterhuset"


# --- the logo ------------------------------------------------------------------------------


def test_a_logo_with_its_text_is_saved_and_shown(coordinator_client, client, media):
    response = edit(coordinator_client, logo=png(240, 80), logo_alt="Kvarterhuset")
    assert response.status_code == HTTPStatus.FOUND
    centre = Centre.load()
    assert centre.logo.name.startswith("house/")
    assert (media / centre.logo.name).is_file()
    page = client.get("/").content.decode()
    assert f'<img class="site-logo" src="{centre.logo.url}" alt="Kvarterhuset"' in page
    assert f'<link rel="icon" href="{centre.logo.url}">' in page


def test_a_logo_without_its_text_is_refused(coordinator_client, media):
    response = edit(coordinator_client, language="da", logo=png(240, 80), logo_alt=" ")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Skriv hvad logoet siger" in response.content.decode()
    assert not Centre.load().logo
    assert not any(media.rglob("*.png"))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: png(1200, 1200, noise=True), "Billedet er for stort"),
        (lambda: png(2100, 20), "2100 × 20 pixels"),
        (
            lambda: SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture", "image/png"),
            "Indsend en billedfil",
        ),
        (
            lambda: SimpleUploadedFile(
                "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"
            ),
            "Indsend en billedfil",
        ),
    ],
    ids=["huge", "too-wide", "not-an-image", "svg"],
)
def test_a_bad_logo_is_refused_in_danish(coordinator_client, media, upload, message):
    response = edit(coordinator_client, language="da", logo=upload(), logo_alt="Huset")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not Centre.load().logo
    assert not any(media.rglob("*.*"))


def test_the_logo_can_be_removed(coordinator_client, media):
    edit(coordinator_client, logo=png(40, 40), logo_alt="Huset")
    assert Centre.load().logo
    response = edit(coordinator_client, **{"logo-clear": "on", "logo_alt": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert not Centre.load().logo


def test_the_mail_shows_the_logo_and_the_colour(coordinator_client, media, settings):
    settings.SITE_URL = "https://huset.example"
    edit(coordinator_client, brand_colour="#1d6b35", logo=png(60, 60), logo_alt="Kvarterhuset")
    message = mail.message(
        to=["a@example.org"],
        template="actors/email/invitation",
        context={},
        language="da",
        base_url="https://huset.example",
    )
    [(html, _mimetype)] = message.alternatives
    logo = Centre.load().logo.url
    assert f'<img src="https://huset.example{logo}" alt="Kvarterhuset"' in html
    assert "background-color:#1d6b35;color:#ffffff;" in html
    assert not outbox.outbox
