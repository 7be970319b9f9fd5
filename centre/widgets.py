"""Form widgets whose markup is written in Python.

Django renders a select through a template and each of its options through
two more (the option and its attributes): some 35 µs an option. The offer
overview's filter lists every current actor, so its form alone took 4 ms of a
30 ms page. `Select` writes the same markup as Django's select in one go."""

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


class Select(forms.Select):
    """Django's ``Select``, written without a template per option."""

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
