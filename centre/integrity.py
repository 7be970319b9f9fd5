"""Saving a row that a unique constraint guards, when two people may save the
same value at the same moment.

A service checks uniqueness first (``full_clean``), so that a person gets a
message on the form. Two transactions may both pass that check; PostgreSQL's
constraint then makes the second insert or update wait for the first and
refuses it. ``explain_refusal`` turns that refusal into the ValidationError
the check gives now that the other row is committed: the person who came
second reads the same message as one who came a moment later, and nothing of
the refused save is kept."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def unique_errors(obj: models.Model) -> dict[str, list]:
    """What ``obj``'s unique fields and constraints say about it now."""
    errors: dict = {}
    for check in (obj.validate_unique, obj.validate_constraints):
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    return errors


@contextlib.contextmanager
def explain_refusal(obj: models.Model):
    """Run the block (a save of ``obj``) in a savepoint. When the database
    refuses it for a value another transaction has just saved, raise the
    ValidationError that names the field; any other refusal is raised as it is."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        # READ COMMITTED: this new statement sees the row that won.
        errors = unique_errors(obj)
        if not errors:
            raise
        raise ValidationError(errors) from None
