from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the data the benchmarks run on: the demo house (later issues add volume)."

    def handle(self, *args, **options):
        call_command("demo", "--no-serve", stdout=self.stdout)
