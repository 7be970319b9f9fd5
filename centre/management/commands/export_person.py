"""Everything Samhus holds about one person, as JSON (GDPR article 15)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from centre.models import User
from centre.privacy import address_holdings_exist, export_address, export_json


class Command(BaseCommand):
    help = "Write everything Samhus holds about the person with this e-mail address as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", help="a file to write; standard output if left out")

    def handle(self, *args, email, output, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            text = export_json(user)
        elif address_holdings_exist(email):
            text = json.dumps(
                export_address(email), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
            )
        else:
            raise CommandError(f"No account has the address {email}, and nothing else does.")
        if output:
            with open(output, "w", encoding="utf-8") as out:
                out.write(text)
            self.stderr.write(f"Written to {output}")
        else:
            self.stdout.write(text)
