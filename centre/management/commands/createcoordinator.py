import getpass
import os

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from centre.models import User


class Command(BaseCommand):
    help = (
        "Create the house's first coordinator, or make an existing user a coordinator. "
        "The password is asked for, or read from COORDINATOR_PASSWORD with --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="")
        parser.add_argument("--no-input", action="store_true", dest="no_input")

    def handle(self, *args, email, name, no_input, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an e-mail address.") from error

        user = User.objects.filter(email=email).first()
        password = None
        if user is None:
            password = self._password(no_input, User(email=email, name=name))
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(email=email, password=password, name=name)
                action = "Created"
            else:
                action = "Promoted"
            user.is_coordinator = True
            user.save(update_fields=["is_coordinator"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{action} coordinator {email}. At first sign-in they set up two-factor."
            )
        )

    def _password(self, no_input: bool, user: User) -> str:
        if no_input:
            password = os.environ.get("COORDINATOR_PASSWORD", "")
            if not password:
                raise CommandError("Set COORDINATOR_PASSWORD when using --no-input.")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password
