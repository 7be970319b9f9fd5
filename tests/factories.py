import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from actors.models import Actor, Membership
from bookings.models import Room
from centre.models import ClosedDay, OpeningHours, User
from collaboration.models import CouncilMember

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="da_DK")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def add_totp(user: User) -> str:
    """Give the user a TOTP authenticator; returns its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Forening {n}")
    slug = factory.Sequence(lambda n: f"forening-{n}")
    kind = Actor.Kind.ASSOCIATION
    presence = Actor.Presence.REGULAR


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(ActorFactory)
    role = Membership.Role.MEMBER


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    user = factory.SubFactory(UserFactory)
    actor = factory.SubFactory(ActorFactory)
    role = CouncilMember.Role.MEMBER
    since = datetime.date(2025, 1, 1)


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Lokale {n}")
    slug = factory.Sequence(lambda n: f"lokale-{n}")
    capacity = 20


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(17)


class ClosedDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedDay

    date = datetime.date(2030, 7, 1)
    name = "Sommerlukket"
    source = ClosedDay.Source.HOUSE
