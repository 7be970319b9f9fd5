import random

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from actors.models import Actor, Language, Offer, TargetGroup, Theme


class Command(BaseCommand):
    help = (
        "Load the data the benchmarks run on: the demo house plus --actors synthetic actors "
        "with two offers each (default 500). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actors", type=int, default=500)

    def handle(self, *args, actors, **options):
        call_command("demo", "--no-serve", "--force", stdout=self.stdout)
        with transaction.atomic():
            self._synthetic(actors)

    def _synthetic(self, actors):
        rng = random.Random(42)
        kinds = list(Actor.Kind.values)
        existing = set(
            Actor.objects.filter(slug__startswith="bench-").values_list("slug", flat=True)
        )
        new = [
            Actor(
                name=f"Bench-aktør {n:04d}",
                slug=f"bench-{n:04d}",
                kind=rng.choice(kinds),
                presence=rng.choice(Actor.Presence.values),
                description="Syntetisk aktør til måling af svartider.",
            )
            for n in range(actors)
            if f"bench-{n:04d}" not in existing
        ]
        Actor.objects.bulk_create(new)
        groups, themes, languages = (
            list(TargetGroup.objects.all()),
            list(Theme.objects.all()),
            list(Language.objects.all()),
        )
        for actor in Actor.objects.filter(slug__in=[a.slug for a in new]):
            for title in ("Åbent hus", "Rådgivning"):
                offer = Offer.objects.create(actor=actor, title=title, when="Tirsdage 10–12")
                offer.target_groups.set(rng.sample(groups, 2))
                offer.themes.set(rng.sample(themes, 2))
                offer.languages.set(rng.sample(languages, 2))
        self.stdout.write(f"{len(new)} synthetic actors added.")
