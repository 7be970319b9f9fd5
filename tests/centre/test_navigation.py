"""The navigation's links ({% nav_item %}): where they lead, the page shown
marked as the current one, in the reader's language."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(html: str, region: str) -> list[tuple[str, str]]:
    """(address, attributes after it) of each link in the page's ``region``."""
    start = html.index(f'class="{region}')
    part = html[start : html.index("</nav>", start)]
    return re.findall(r'<li><a href="([^"]+)"([^>]*)>', part)


def test_a_residents_navigation_marks_the_page_shown(client):
    html = client.get(reverse("bookings:calendar")).content.decode()
    links = dict(_links(html, "site-nav"))
    assert list(links) == [
        reverse("bookings:home"),
        reverse("bookings:calendar"),
        reverse("actors:actor-list"),
        reverse("actors:offer-list"),
        reverse("bookings:room-list"),
    ]
    assert links[reverse("bookings:calendar")] == ' aria-current="page"'
    assert [address for address, marked in links.items() if marked] == [
        reverse("bookings:calendar")
    ]
    assert 'aria-hidden="true"' in html[html.index('class="site-nav') :]  # the icons


def test_the_navigation_speaks_the_readers_language(client):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("actors:offer-list")).content.decode()
    nav = html[html.index('class="site-nav') :]
    assert ">Today in the house</a>" in nav and 'aria-current="page">' in nav
    client.cookies["django_language"] = "da"
    html = client.get(reverse("actors:offer-list")).content.decode()
    assert "Today in the house" not in html[html.index('class="site-nav') :]


def test_a_coordinators_menu_leads_to_every_page_once(coordinator_client):
    html = coordinator_client.get(reverse("bookings:requests")).content.decode()
    links = _links(html, "menu-panel")
    addresses = [address for address, _marked in links]
    assert len(addresses) == len(set(addresses)) >= 15
    assert reverse("centre:house") in addresses and reverse("collaboration:map") in addresses
    marked = [address for address, attributes in links if "aria-current" in attributes]
    assert marked == [reverse("bookings:requests")]
