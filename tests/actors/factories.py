"""Factories for the actors app's offers and invitations."""

import factory

from actors.models import Invitation, Membership, Offer
from tests.factories import ActorFactory


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    actor = factory.SubFactory(ActorFactory)
    title = factory.Sequence(lambda n: f"Lektiecafé {n}")
    is_active = True

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set(extracted)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create and extracted:
            self.languages.set(extracted)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    actor = factory.SubFactory(ActorFactory)
    email = factory.Sequence(lambda n: f"inviteret{n}@example.org")
    role = Membership.Role.MEMBER
