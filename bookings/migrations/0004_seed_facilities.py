from django.db import migrations

from actors.vocabulary import seed
from bookings.models import FACILITIES


def seed_facilities(apps, schema_editor):
    seed(apps.get_model("bookings", "Facility"), FACILITIES)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0003_occupancy_exclusion")]

    operations = [migrations.RunPython(seed_facilities, migrations.RunPython.noop)]
