"""Reading many rows fast."""

import datetime

from django.db import connections
from django.utils import timezone
from modeltranslation.manager import get_translatable_fields_for_model
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

from centre.sql import Prepared

TIMES = ("start", "end", "updated", "cancelled_at")


def plain(queryset):
    """The queryset with its field names as written: modeltranslation would
    otherwise rewrite "title" into the reader's language's column and select
    the columns of a values_list in an order of its own, and these readers
    take the columns by position."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def fetch(queryset, fields) -> list[dict]:
    """The queryset's ``fields`` as dicts with local times, in one query.

    The ORM writes the SQL; the rows are read from the cursor as the driver
    returns them, without building a dict through the ORM's per-field
    converters: for the thousands of rows of a busy month or a year's feed
    that conversion alone costs more than the rest of the page."""
    return fetch_with(queryset, fields, ())[0]


def _translated(model, fields) -> list[tuple[str, list[str]]]:
    """Each translated field among ``fields`` with the columns it is read
    from, in the order of the reader's language's fallbacks."""
    names = get_translatable_fields_for_model(model) or ()
    order = resolution_order(get_language())
    return [
        (name, [build_localized_fieldname(name, code) for code in order])
        for name in fields
        if name in names
    ]


def _native_times(cursor) -> None:
    """Read this psycopg cursor's times with psycopg's own loader, written in
    C, instead of Django's subclass of it, which loads each value in Python to
    set the zone the session already gives (UTC). A year's feed reads 27,000
    times; the rows are put in the house's time below either way."""
    from psycopg.types.datetime import TimestamptzLoader

    cursor.adapters.register_loader("timestamptz", TimestamptzLoader)


def fetch_with(source, fields, also) -> tuple[list[dict], list[tuple]]:
    """`fetch`, and the values of the fields ``also`` of each row, read in the
    same query, as tuples in the rows' order. A translated field ("title")
    comes in the reader's language, else the first language it is written in.
    ``source`` is a queryset, or a `Prepared` query whose SQL is written once
    per shape (centre.sql)."""
    width, extra = len(fields), len(fields) + len(also)
    translated = _translated(source.model, fields)
    columns = (*fields, *also, *(column for _name, names in translated for column in names))
    if isinstance(source, Prepared):
        sql, params = source.sql(columns)
    else:
        sql, params = plain(source).values_list(*columns).query.sql_with_params()
    connection = connections[source.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _native_times(cursor.cursor)
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    rows = [dict(zip(fields, values, strict=False)) for values in raw]
    if translated:
        for row, values in zip(rows, raw, strict=True):
            position = extra
            for name, localized in translated:
                chosen = next((v for v in values[position : position + len(localized)] if v), None)
                if chosen:
                    row[name] = chosen
                position += len(localized)
    tz = timezone.get_current_timezone()
    utc = datetime.UTC
    for name in fields:
        if name not in TIMES:
            continue
        for row in rows:
            moment = row[name]
            if moment is not None:
                # SQLite hands back naive UTC, PostgreSQL aware datetimes.
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=utc)
                row[name] = moment.astimezone(tz)
    return rows, [values[width:extra] for values in raw] if also else []
