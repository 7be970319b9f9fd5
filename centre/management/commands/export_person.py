"""Everything Samhus holds about one person, as JSON (GDPR article 15)."""

from django.core.management.base import BaseCommand, CommandError

from centre.models import User
from centre.privacy import export_json


class Command(BaseCommand):
    help = "Write everything Samhus holds about the person with this e-mail address as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", help="a file to write; standard output if left out")

    def handle(self, *args, email, output, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        text = export_json(user)
        if output:
            with open(output, "w", encoding="utf-8") as out:
                out.write(text)
            self.stderr.write(f"Written to {output}")
        else:
            self.stdout.write(text)
