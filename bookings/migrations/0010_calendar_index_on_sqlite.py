"""On SQLite, the calendar reads a period's bookings from one index that holds
every column a calendar page reads of them (the embedded default keeps each
booking's texts in its row, so reading the rows themselves costs a page
several hundred scattered reads). PostgreSQL keeps its plain (start, end)
index: an index entry there has a size limit that a long title could pass.

SQLite rebuilds a table for some changes of its columns and then makes only
the indexes the models declare: a later migration that rebuilds
bookings_booking must create this index again (tests/bookings/test_calendar_plan.py
fails until it does)."""

from django.db import migrations

NAME = "bookings_calendar_sqlite"
# What the calendar's rows query filters on and reads (bookings.calendar.query):
# the period, who may see it, the room it is ordered by, and the stored item.
COLUMNS = (
    '"start", "end", "visibility", "status", "cancelled_at", "actor_id", "room_id",'
    ' "series_id", "sequence", "feed_stamp", "feed_html"'
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "bookings_booking" ({COLUMNS})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0009_texts_in_languages"),
    ]

    operations = [migrations.RunPython(create, drop)]
