"""No two confirmed bookings overlap in one unit of space: on PostgreSQL the
database itself refuses it. SQLite has no exclusion constraints; there the
booking services check inside the write transaction (SQLite serialises writers)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_occupancy
  ADD CONSTRAINT bookings_occupancy_no_overlap
  EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end", '[)') WITH &&);
"""
DROP = "ALTER TABLE bookings_occupancy DROP CONSTRAINT IF EXISTS bookings_occupancy_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_bookings_and_series")]

    operations = [migrations.RunPython(create, drop)]
