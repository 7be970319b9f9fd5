"""Form widgets whose markup is written in Python.

Django renders a select through a template and each of its options through
two more (the option and its attributes): some 35 µs an option, and a
checkbox list through three per box. The offer overview's filter lists every
current actor, so its form alone took 4 ms of a 30 ms page, and the booking
form spent most of its time on its selects and checkbox lists. `Select`,
`SelectMultiple` and `CheckboxSelectMultiple` write the same markup as
Django's in one go."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def attributes(attrs: dict) -> str:
    """HTML attributes as Django's widgets write them (attrs.html): ``False``
    leaves the attribute out, ``True`` writes it bare, anything else escaped."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class WrittenSelect:
    """A select's ``render`` without a template per option, for Django's
    ``Select`` and ``SelectMultiple`` (same markup, one more attribute)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'<option value="{conditional_escape(str(option["value"]))}"'
                f"{attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class Select(WrittenSelect, forms.Select):
    """Django's ``Select``, written without a template per option."""


class SelectMultiple(WrittenSelect, forms.SelectMultiple):
    """Django's ``SelectMultiple``, written without a template per option."""


def _input(option: dict) -> str:
    """An option's ``<input>``, as Django's input.html writes it."""
    value = option["value"]
    value = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(option["type"])}"'
        f' name="{conditional_escape(option["name"])}"{value}{attributes(option["attrs"])}>'
    )


def _input_option(option: dict) -> str:
    """A box with its label around it, as Django's input_option.html writes it."""
    if not option["wrap_label"]:
        return _input(option)
    box = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(box)}"' if box else ""
    return f"<label{label_for}>{_input(option)} {conditional_escape(option['label'])}</label>"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's ``CheckboxSelectMultiple``, written without three templates per box."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        own = widget["attrs"]
        parts = ["<div"]
        if own.get("id"):
            parts.append(f' id="{conditional_escape(own["id"])}"')
        if own.get("class"):
            parts.append(f' class="{conditional_escape(own["class"])}"')
        parts.append(">")
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
            parts.extend(f"<div>\n    {_input_option(option)}</div>" for option in options)
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))
