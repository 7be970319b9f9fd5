"""centre.widgets.Select writes the markup Django's own select writes."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from actors.models import Actor
from centre.widgets import Select
from tests.factories import ActorFactory

CHOICES = [
    ("", "All"),
    ("a&b", 'Café "Æblet" <i>'),
    ("plain", "Plain"),
    (7, "Seven"),
    ("Group & co", [("g1", "In the group"), ("g2", mark_safe("<b>safe</b>"))]),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("a&b", {"id": "id_x"}),
        (7, {"id": "id_x", "aria-invalid": "true", "required": True, "disabled": False}),
        ("g2", {"data-note": 'say "hi" & <go>'}),
        ("not a choice", {}),
    ],
)
def test_the_same_markup_as_djangos_select(value, attrs):
    ours = Select(choices=CHOICES).render("pick", value, attrs)
    django = forms.Select(choices=CHOICES).render("pick", value, attrs)
    assert parse_html(ours) == parse_html(django)
    assert 'value="a&amp;b"' in ours and "&lt;i&gt;" in ours


def test_lazy_labels_and_a_name_to_escape_are_written_as_django_writes_them():
    choices = [("", gettext_lazy("All")), ("x", gettext_lazy("Language"))]
    ours = Select(choices=choices).render('a"b', "x", {"aria-label": gettext_lazy("Filter")})
    django = forms.Select(choices=choices).render(
        'a"b', "x", {"aria-label": gettext_lazy("Filter")}
    )
    assert parse_html(ours) == parse_html(django)
    assert 'name="a&quot;b"' in ours


def test_a_model_choice_field_with_the_widget_renders_like_djangos(db):
    ActorFactory(name="Kvindeforum & co", slug="kvindeforum")
    ActorFactory(name="Lektiecaféen", slug="lektiecafeen")

    def field(widget):
        return forms.ModelChoiceField(
            Actor.objects.order_by("name"), to_field_name="slug", widget=widget
        )

    ours = field(Select).widget.render("actor", "kvindeforum", {"id": "id_actor"})
    django = field(forms.Select).widget.render("actor", "kvindeforum", {"id": "id_actor"})
    assert parse_html(ours) == parse_html(django)
    assert "selected" in ours
