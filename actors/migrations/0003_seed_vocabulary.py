from django.db import migrations

from actors import vocabulary


def seed(apps, schema_editor):
    vocabulary.seed(apps.get_model("actors", "TargetGroup"), vocabulary.TARGET_GROUPS)
    vocabulary.seed(apps.get_model("actors", "Theme"), vocabulary.THEMES)
    vocabulary.seed(apps.get_model("actors", "Language"), vocabulary.LANGUAGES)


class Migration(migrations.Migration):
    dependencies = [("actors", "0002_offers_invitations_vocabulary")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
