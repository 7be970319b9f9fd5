"""Forget one person (GDPR article 17): delete what only concerns them and
pseudonymise their account, keeping bookings as anonymous occupancy."""

from django.core.management.base import BaseCommand, CommandError

from centre.models import User
from centre.privacy import (
    address_holdings_exist,
    forget,
    forget_address,
    forget_address_preview,
    forget_preview,
)


class Command(BaseCommand):
    help = "Remove or anonymise everything Samhus holds about the person with this e-mail address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, email, yes, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            if not address_holdings_exist(email):
                raise CommandError(f"No account has the address {email}, and nothing else does.")
            going = forget_address_preview(email)
            self.stdout.write(
                f"Forgetting {email} (no account): "
                + ", ".join(f"{label} {count}" for label, count in going.items())
                + "; sign-ups keep their counts, without the name, address or phone."
            )
            if not yes and input(f"Forget {email}? Type yes: ").strip() != "yes":
                raise CommandError("Nothing was changed.")
            removed = forget_address(email)
            self.stdout.write(
                f"Forgot {email}: " + ", ".join(f"{k} {v}" for k, v in removed.items())
            )
            return
        going = forget_preview(user)
        self.stdout.write(
            f"Forgetting {email} (account #{user.pk}) deletes: "
            + (", ".join(f"{label} {count}" for label, count in going.items()) or "nothing else")
            + "; the account is renamed, switched off and its sessions end. Bookings and logs"
            " stay, without the name."
        )
        if not yes and input(f"Forget {email} (account #{user.pk})? Type yes: ").strip() != "yes":
            raise CommandError("Nothing was changed.")
        removed = forget(user)
        self.stdout.write(
            f"Forgot account #{user.pk}: " + ", ".join(f"{k} {v}" for k, v in removed.items())
        )
