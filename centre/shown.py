"""The text a reader sees of a field people write in several languages
(modeltranslation's ``title_da``, ``title_en``, …): which column it comes
from, how an edit is written back to it, and how a list is sorted by it.

A reader sees their language's text, else Danish, else any other
(``MODELTRANSLATION_FALLBACK_LANGUAGES``). Edits follow what was seen: an
English reader who corrects an activity written only in Danish corrects the
Danish text, which every reader without an English one sees; if the activity
has an English title, the English title is the one they changed. A text
written for the first time goes in the writer's language."""

from django.db.models import CharField, Expression, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.deconstruct import deconstructible
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order


def _columns(name: str) -> list[str]:
    """The columns of ``name`` in the order the current reader falls back through."""
    return [build_localized_fieldname(name, code) for code in resolution_order(get_language())]


def shown_column(obj, name: str) -> str:
    """The column whose text of ``name`` the current reader sees on ``obj``:
    the first filled one in their fallback order, else their own language's."""
    columns = _columns(name)
    return next((column for column in columns if getattr(obj, column, None)), columns[0])


def write_shown(obj, name: str, value, column: str | None = None) -> str:
    """Write ``value`` as ``obj``'s ``name`` where the reader saw it (or in
    ``column``, found before the object changed); returns the column."""
    column = column or shown_column(obj, name)
    setattr(obj, column, value)
    obj.__dict__[name] = value  # the plain column, as modeltranslation keeps it
    return column


class EditsWhatIsShown:
    """A ModelForm mixin: the translated fields among the form's are written
    back to the column the reader saw them in (``write_shown``), not to their
    page's language's column, which is modeltranslation's default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from modeltranslation.translator import translator

        names = translator.get_options_for_model(self._meta.model).all_fields
        self.shown_columns = {
            name: shown_column(self.instance, name) for name in names if name in self.fields
        }
        self._before = {
            column: getattr(self.instance, column)
            for name in self.shown_columns
            for column in _columns(name)
        }

    def _post_clean(self):
        super()._post_clean()
        for name, column in self.shown_columns.items():
            if name not in self.cleaned_data:
                continue
            for other in _columns(name):
                setattr(self.instance, other, self._before[other])
            write_shown(self.instance, name, self.cleaned_data[name], column)


@deconstructible(path="centre.shown.Shown")
class Shown(Expression):
    """``name`` as the current reader sees it, for ``order_by`` and
    ``Meta.ordering``: resolved when the query is built, so in the language
    of the request that runs it (an empty text counts as missing)."""

    output_field = CharField()

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def __repr__(self):
        return f"Shown({self.name!r})"

    def prefix_references(self, prefix):
        # Ordering by a relation (``order_by("rule")``) uses the related
        # model's ordering through it: the related row's columns.
        return Shown(f"{prefix}{self.name}")

    def resolve_expression(self, *args, **kwargs):
        texts = [NullIf(F(column), Value("")) for column in _columns(self.name)]
        return Coalesce(*texts, Value(""), output_field=CharField()).resolve_expression(
            *args, **kwargs
        )
