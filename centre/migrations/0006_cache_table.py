from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # settings.CACHES keeps the login limits and used second-factor codes in
    # the database; `migrate` makes its table, so no extra command is needed.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("centre", "0005_outbox")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
