"""centre.widgets.Select writes the markup Django's own select writes."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from actors.models import Actor
from centre.widgets import CheckboxSelectMultiple, Select, SelectMultiple
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


def test_a_multiple_select_has_the_markup_of_djangos():
    attrs = {"id": "id_pick", "size": 6}
    ours = SelectMultiple(choices=CHOICES).render("pick", ["a&b", "g1", 7], attrs)
    django = forms.SelectMultiple(choices=CHOICES).render("pick", ["a&b", "g1", 7], attrs)
    assert parse_html(ours) == parse_html(django)
    assert ours.count("selected") == 3 and " multiple" in ours


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


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        (["a&b", 7], {"id": "id_boxes", "class": "choices & more"}),
        (["g2"], {"id": "id_boxes", "required": True, "aria-describedby": "id_boxes_helptext"}),
        ([], {"data-x": 'say "hi"'}),
    ],
)
def test_a_checkbox_list_has_the_markup_of_djangos(value, attrs):
    choices = [choice for choice in CHOICES if choice[0] != ""]
    ours = CheckboxSelectMultiple(choices=choices).render("boxes", value, attrs)
    django = forms.CheckboxSelectMultiple(choices=choices).render("boxes", value, attrs)
    assert parse_html(ours) == parse_html(django)
    assert 'value="a&amp;b"' in ours and "&lt;i&gt;" in ours and "<b>safe</b>" in ours


def test_a_labelled_vocabulary_field_renders_like_djangos(db):
    from actors.forms import LabelledChoices
    from actors.models import Language

    def field(widget):
        return forms.ModelMultipleChoiceField(Language.objects.order_by("position"), widget=widget)

    chosen = list(Language.objects.values_list("pk", flat=True)[:2])
    assert chosen, "the shipped vocabulary has languages"
    ours = field(CheckboxSelectMultiple).widget.render("languages", chosen, {"id": "id_lang"})
    django = field(forms.CheckboxSelectMultiple).widget.render(
        "languages", chosen, {"id": "id_lang"}
    )
    assert parse_html(ours) == parse_html(django)
    assert ours.count("checked") == 2
    assert LabelledChoices.widget is CheckboxSelectMultiple
