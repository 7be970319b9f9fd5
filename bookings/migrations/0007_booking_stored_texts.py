from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0006_booking_themes_cancelled_at"),
    ]

    # Smallest first: SQLite keeps a row's first bytes on its page and the rest
    # in overflow pages, so the stamp and the calendar item are read without
    # walking through the feeds' texts.
    operations = [
        migrations.AddField(
            model_name="booking",
            name="feed_stamp",
            field=models.CharField(default="", editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="booking",
            name="feed_html",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="booking",
            name="feed_json",
            field=models.BinaryField(default=b""),
        ),
        migrations.AddField(
            model_name="booking",
            name="feed_ics",
            field=models.BinaryField(default=b""),
        ),
    ]
