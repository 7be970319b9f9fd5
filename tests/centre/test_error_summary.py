"""A form sent with errors shows the error summary at the top (GOV.UK's
pattern): every message, each a link to its field, and the focus on it
(autofocus; static/js/forms.js). Our own forms, a formset and allauth's."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert found, "no error summary"
    opening = re.search(r'<div class="error-summary"[^>]*>', html).group(0)
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening and "autofocus" in opening
    # At the top of the form: before the first field.
    main = html.index("<main")
    assert main < html.index('class="error-summary"') < html.index('<label for="id_', main)
    return found.group(1)


def test_our_form_links_each_message_to_its_field(coordinator_client):
    response = coordinator_client.post(
        reverse("bookings:closedday-create"), {"date": "1925-06-01", "name": ""}
    )
    assert response.status_code == HTTPStatus.OK
    summary = _summary(response.content.decode())
    assert 'href="#id_date"' in summary and 'href="#id_name"' in summary
    assert "1970" in summary  # the date's own message, the records' floor


def test_no_summary_without_errors(coordinator_client):
    html = coordinator_client.get(reverse("bookings:closedday-create")).content.decode()
    assert "error-summary" not in html.replace("error-summary.css", "")


def test_a_formset_is_summed_up_too(coordinator_client):
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-weekday": "1",
        "form-0-opens": "09:00",
        "form-0-closes": "12:00",
        "form-1-weekday": "1",
        "form-1-opens": "11:00",
        "form-1-closes": "14:00",
    }
    response = coordinator_client.post(reverse("bookings:hours-edit"), data)
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert html.count('role="alert"') == 1


def test_allauths_forms_have_it(anonymous):
    response = anonymous.post(
        reverse("account_signup"),
        {"email": "not-an-address", "password1": "a-long-pass-1", "password2": "another-one-2"},
    )
    assert response.status_code == HTTPStatus.OK
    summary = _summary(response.content.decode())
    assert 'href="#id_email"' in summary
