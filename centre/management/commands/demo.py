import importlib

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from centre import links
from centre.demo import DEMO_PASSWORD, USERS


def _demo_modules():
    """Each app's demo.py, in INSTALLED_APPS order (centre, actors, bookings, …)."""
    for config in apps.get_app_configs():
        try:
            yield importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise


DEFAULT_ADDRPORT = "127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Create or migrate the database, load the demo house (Kvarterhuset på Motalavej) "
        "and serve Samhus on http://127.0.0.1:8000. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo house, do not start a server."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even though the database holds data that is not the demo's.",
        )
        parser.add_argument(
            "--addrport",
            help="Where to serve (default 127.0.0.1:8000). The links in the demo's mails and "
            "feeds open there (SITE_URL), with --no-serve too when it is given.",
        )

    def handle(self, *args, no_serve, force, addrport, **options):
        site_url = None
        if addrport or not no_serve:
            # Before anything is written: the feeds' stored texts hold the address too.
            addrport = addrport or DEFAULT_ADDRPORT
            try:
                site_url = links.serve_at(addrport)
            except ValueError as error:
                raise CommandError(str(error)) from error
        call_command("migrate", interactive=False, verbosity=0)
        modules = list(_demo_modules())
        foreign = [item for module in modules for item in module.foreign_data()]
        if foreign and not force:
            raise CommandError(
                "This database holds data that is not the demo's ("
                + "; ".join(foreign)
                + "). Run `manage.py demo --force` to add the demo house anyway."
            )
        # The demo house is written in Danish, into the Danish columns of its
        # texts, and found again there, whichever language the caller is in.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            for module in modules:
                module.load()

        self.stdout.write(self.style.SUCCESS("The demo house is ready: Kvarterhuset på Motalavej."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, _name, _coordinator, role in USERS:
            self.stdout.write(f"  {email:<28} {role}")
        self.stdout.write(
            "The coordinator sets up two-factor authentication (an authenticator app) "
            "at first sign-in."
        )
        if not no_serve:
            self.stdout.write(
                f"Serving on {site_url}/ – stop with Ctrl+C. The mails it prints link there."
            )
            call_command("runserver", addrport, use_reloader=False)
