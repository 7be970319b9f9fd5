"""/design/: the living style page, for coordinators only, drawing each component."""

import re
from http import HTTPStatus

from django.conf import settings
from django.urls import reverse

from centre.models import Centre


def test_coordinators_see_every_component(coordinator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response = coordinator_client.get(reverse("centre:design"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for marker in [
        "--step-4",
        "--space-7",
        'class="button-danger"',
        'class="secondary"',
        "badge badge-warn",
        'class="card-title"',
        'class="table-stack"',
        'data-label="When"',
        'class="empty"',
        'class="error-summary"',
        'class="help"',
        "icon icon-directional",
    ]:
        assert marker in page, marker
    # The sample form's summary does not take the page's focus as a real form's does.
    assert "autofocus" not in page
    assert '<form method="get" action="#' not in page


def test_the_house_colour_is_measured_on_the_page(coordinator_client):
    Centre.load()
    Centre.objects.filter(pk=1).update(brand_colour="#1d6b35")
    page = coordinator_client.get(reverse("centre:design"), HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    assert "#1d6b35" in content and "6.55:1" in content


def test_members_and_visitors_may_not_see_it(member_client, client):
    assert member_client.get(reverse("centre:design")).status_code == HTTPStatus.FORBIDDEN
    response = client.get(reverse("centre:design"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_the_house_page_links_to_it(coordinator_client):
    page = coordinator_client.get(reverse("centre:house")).content.decode()
    assert f'href="{reverse("centre:design")}"' in page


def test_every_stacked_table_names_each_cells_column():
    """A table that stacks into cards on a phone shows each cell's column name from
    data-label: a cell without one would stand there unnamed."""
    stacked = 0
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        for table in re.findall(
            r'<table class="table-stack">(.*?)</table>', path.read_text(), re.S
        ):
            stacked += 1
            unnamed = re.findall(r"<td(?![^>]*data-label)[^>]*>", table)
            assert not unnamed, f"{path}: {unnamed}"
    assert stacked >= 9
