"""Build this week's digest; --dry-run prints it instead of sending."""

from django.conf import settings
from django.core.management.base import BaseCommand

from centre.models import Centre
from collaboration.digest import build, send, subscriptions
from collaboration.tasks import send_digest


class Command(BaseCommand):
    help = "Send this week's digest to its recipients (each once), or print it with --dry-run."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print the digest, send nothing")

    def handle(self, *args, dry_run, **options):
        period = send.current_period(Centre.load())
        users = subscriptions.recipients(period)
        verified = subscriptions.verified_addresses(users)
        builder = build.Builder(period)
        if dry_run:
            self.stdout.write(
                f"Period {period}: {len(users)} recipient(s), {len(users) - len(verified)} without a verified address."
            )
            for code, _name in settings.LANGUAGES:
                sample = next((u for u in users if u.language == code), None)
                rendered = builder.rendered(code)
                self.stdout.write(f"\n--- {code} ---\nSubject: {rendered.subject}")
                if sample is not None:
                    message = builder.message(sample)
                    self.stdout.write(f"To: {sample.email}\n\n{message.body}")
                else:
                    self.stdout.write("(no recipient reads this language)")
            return
        figures = send.create_deliveries(period)
        waiting = send.due_deliveries(period)
        for delivery_id in waiting:
            send_digest.delay(delivery_id)
        self.stdout.write(
            f"Period {period}: {len(waiting)} queued, {figures['skipped']} skipped (no verified address)."
        )
