"""Screenshots of each role's home in the demo house (and the coordinator's menu), and of the
booking form, at a phone's 360 px and a desktop's 1280 px, into docs/screenshots/ (PNG):

    uv run python scripts/screenshots.py            # Danish
    uv run python scripts/screenshots.py --language en
    uv run python scripts/screenshots.py --only booking-form
    uv run python scripts/screenshots.py --language ar   # the right-to-left pages

In Arabic it photographs instead, right to left, the pages the Arabic browser
tests check (tests/e2e/test_arabic.py): the front page, the calendar's month,
week and list, an activity, the offers, the lobby screen, sign-in and a form
with errors, as rtl-<page>-<width>.png, the screen's first view only and in a
palette, so the PNGs stay small. Debian's DejaVu Sans, which Chromium brings,
has the Arabic letters; another font would change the pages' measures that
the browser tests check (tap targets).

It loads the demo house into a temporary database, serves it on a free port of
this machine with runserver, signs each demo person in by a session cookie (the
coordinator with an authenticator, as two-factor requires) and photographs
their home with the Debian Chromium (``apt-get install chromium``)."""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
WIDTHS = (360, 1280)
# (file name, demo login, page)
SHOTS = (
    ("resident", None, "/"),
    ("coordinator", "koordinator@samhus.test", "/home/"),
    ("member", "forening@samhus.test", "/home/"),
    ("council", "husraad@samhus.test", "/home/"),
)
# The booking form: a Wednesday next week in Mødelokale 1 (its free times
# around the Kvindecafé), a free time chosen and a weekly repeat previewed.
BOOKER = "amina@samhus.test"
# Right to left (Arabic only): (file name, page); {activity} is a coming public activity.
RTL_SHOTS = (
    ("front", "/"),
    ("calendar-month", "/calendar/?view=month"),
    ("calendar-week", "/calendar/?view=week"),
    ("calendar-list", "/calendar/?view=list"),
    ("activity", "/calendar/activities/{activity}/"),
    ("offers", "/offers/"),
    ("screen", "/screen/"),
    ("sign-in", "/accounts/login/"),
    ("form-errors", "/accounts/signup/"),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # our own server on this machine
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Samhus did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="da", choices=["da", "en", "ar"])
    parser.add_argument(
        "--only",
        choices=[name for name, _email, _path in SHOTS] + ["booking-form"],
        help="take only this screenshot",
    )
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="samhus-shots-")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "SECRET_KEY"}
    }
    env["SAMHUS_VAR_DIR"] = var
    port = _free_port()
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run(
        [*manage, "demo", "--no-serve", "--addrport", f"127.0.0.1:{port}"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/healthz")
        _photograph(base, var, args.language, args.only)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _small_png(path: Path) -> None:
    """A palette of 256 colours: a form's screenshot at a fraction of the size."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256).save(path, optimize=True)


def _booking_form(page, base: str) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    wednesday = today + datetime.timedelta(days=(2 - today.weekday()) % 7 + 7)
    page.goto(f"{base}/bookings/new/?room=moedelokale-1&date={wednesday.isoformat()}")
    page.locator("button[name='slot'][value^='12:00-']").click()
    page.locator("#id_end_time").fill("14:00")
    page.locator("#id_repeat").select_option("weekly")
    until = page.locator("#id_until")
    until.fill((wednesday + datetime.timedelta(days=56)).isoformat())
    until.dispatch_event("change")
    page.locator("#series-preview p").first.wait_for()
    page.wait_for_load_state("networkidle")


def _photograph(base: str, var: str, language: str, only: str | None = None) -> None:
    os.environ["SAMHUS_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centre.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from centre.models import User
    from tests.conftest import chromium_path
    from tests.factories import add_totp

    def session_for(email: str) -> str:
        user = User.objects.get(email=email)
        if user.is_coordinator and not Authenticator.objects.filter(user=user).exists():
            add_totp(user)
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "" if language == "da" else f"-{language}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        # In Arabic, the right-to-left pages below instead of the homes and the form.
        if language == "ar":
            _right_to_left(browser, base, settings.LANGUAGE_COOKIE_NAME)
            only = "none"
        for name, email, path in SHOTS:
            if only and only != name:
                continue
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 900},
                    locale="da-DK",
                    timezone_id="Europe/Copenhagen",
                )
                cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
                if email:
                    cookies.append(
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": session_for(email),
                            "url": base,
                        }
                    )
                context.add_cookies(cookies)
                page = context.new_page()
                page.goto(base + path)
                target = OUT / f"home-{name}-{width}{suffix}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target.relative_to(REPO))
                if email and name == "coordinator":
                    # The one menu of a signed-in person, open.
                    page.locator("summary.menu-button").click()
                    target = OUT / f"menu-{name}-{width}{suffix}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(REPO))
                context.close()
        for width in WIDTHS if only in (None, "booking-form") else ():
            context = browser.new_context(
                viewport={"width": width, "height": 900},
                locale="da-DK",
                timezone_id="Europe/Copenhagen",
            )
            context.add_cookies(
                [
                    {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base},
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_for(BOOKER),
                        "url": base,
                    },
                ]
            )
            page = context.new_page()
            _booking_form(page, base)
            target = OUT / f"booking-form-{width}{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            _small_png(target)
            print(target.relative_to(REPO))
            context.close()
        browser.close()


def _right_to_left(browser, base: str, cookie: str) -> None:
    from django.utils import timezone

    from bookings.models import Booking, Status, Visibility

    activity = (
        Booking.objects.filter(
            start__gte=timezone.now(), status=Status.CONFIRMED, visibility=Visibility.PUBLIC
        )
        .order_by("start")
        .first()
    )
    for name, path in RTL_SHOTS:
        for width in WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": 740 if width < 600 else 900},
                locale="ar",
                timezone_id="Europe/Copenhagen",
            )
            context.add_cookies([{"name": cookie, "value": "ar", "url": base}])
            page = context.new_page()
            page.goto(base + path.format(activity=activity.pk if activity else 1))
            if name == "form-errors":
                page.locator("#id_email").fill("ikke-en-adresse@x")
                page.locator("#id_password1").fill("et-langt-kodeord-1")
                page.locator("#id_password2").fill("et-andet-kodeord-2")
                page.evaluate("document.querySelector('main form').noValidate = true")
                page.locator("main form button[type=submit]").first.click()
                page.wait_for_selector(".error-summary")
            target = OUT / f"rtl-{name}-{width}.png"
            page.screenshot(path=str(target))
            _small_png(target)
            print(target.relative_to(REPO))
            context.close()


if __name__ == "__main__":
    main()
