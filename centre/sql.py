"""Queries whose SQL the ORM writes once per shape.

The calendar runs the same few queries on every request with other values (a
period, a filter): writing their SQL costs the ORM more than running them.
`Prepared` keeps the SQL of a queryset by what its shape depends on (its
`key`) and builds the queryset only the first time; the values that change
from one request to the next are `Slot`s in it, filled in on every run.

The SQL is text that depends on the code and the key alone, never on the
data, so nothing here goes out of date: a key must name everything the
queryset's conditions depend on besides its slots (who reads, which filters,
the day, the columns)."""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Expression

# Shapes kept per process: a few dozen kinds of request, each a few KB of SQL.
_KEPT = 512
_WRITTEN: dict[tuple, tuple[str, tuple]] = {}


class Slot(Expression):
    """A value given each time the query runs, e.g. ``Slot("start",
    DateTimeField())`` in ``filter(start__lt=...)``. ``slot - timedelta``
    is the same value moved back by that much, so a condition such as
    "starts at most a day before" needs no second slot."""

    def __init__(self, name: str, output_field, shift: datetime.timedelta | None = None):
        super().__init__(output_field=output_field)
        self.name = name
        self.shift = shift

    def __sub__(self, other):
        if isinstance(other, datetime.timedelta):
            return Slot(self.name, self.output_field, (self.shift or datetime.timedelta()) - other)
        return super().__sub__(other)

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def fill(self, values: dict, connection):
        """The slot's value from ``values``, as the database takes it (as the
        ORM would have written it for a plain value)."""
        value = values[self.name]
        if self.shift is not None:
            value = value + self.shift
        return self.output_field.get_db_prep_value(value, connection)


def written(key: tuple, build: Callable, db: str = "default") -> tuple[str, tuple]:
    """The SQL and parameters (slots among them) of the queryset that
    ``build()`` returns on the database ``db``, written the first time
    ``key`` is asked for."""
    key = (db, connections[db].vendor, *key)
    found = _WRITTEN.get(key)
    if found is None:
        if len(_WRITTEN) >= _KEPT:
            _WRITTEN.clear()
        sql, params = build().query.sql_with_params()
        found = _WRITTEN[key] = (sql, tuple(params))
    return found


@dataclass(frozen=True)
class Prepared:
    """A query by its shape: ``build()`` returns the queryset with `Slot`s,
    ``key`` names what its SQL depends on besides them, ``values`` fills them."""

    model: type
    key: tuple
    build: Callable
    values: dict = field(default_factory=dict)
    db: str = "default"

    def sql(self, columns: tuple[str, ...] = ()) -> tuple[str, list]:
        """The SQL that reads ``columns`` of the query's rows (those the
        queryset names itself, when none are given), with its values."""
        connection = connections[self.db]
        sql, params = written(
            (self.key, columns),
            lambda: self.build().values_list(*columns) if columns else self.build(),
            self.db,
        )
        return sql, [
            param.fill(self.values, connection) if isinstance(param, Slot) else param
            for param in params
        ]

    def rows(self, columns: tuple[str, ...] = ()) -> list[tuple]:
        """The query's rows as tuples of ``columns``, as the database driver
        returns them (no ORM conversion: SQLite gives a boolean as 0 or 1)."""
        sql, params = self.sql(columns)
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def instances(self) -> list:
        """The query's rows as model instances, each value converted as the
        ORM converts it (SQLite keeps a boolean as 0 or 1, a time as text)."""
        connection = connections[self.db]
        names, converters = _converters(self.model, self.db, connection.vendor)
        found = []
        for row in self.rows(names):
            if converters:
                row = list(row)
                for position, functions, column in converters:
                    for convert in functions:
                        row[position] = convert(row[position], column, connection)
            found.append(self.model.from_db(self.db, names, row))
        return found


@functools.lru_cache(maxsize=64)
def _converters(model, db: str, vendor: str) -> tuple[tuple[str, ...], tuple]:
    """A model's column names and the ORM's converters for them on ``db``
    (of ``vendor``): they depend on the model and the database's backend,
    not on the data, so they are worked out once."""
    fields = model._meta.concrete_fields
    converters = (
        model.objects.none()
        .query.get_compiler(db)
        .get_converters([field.get_col(model._meta.db_table) for field in fields])
    )
    return tuple(field.attname for field in fields), tuple(
        (position, functions, column) for position, (functions, column) in converters.items()
    )
