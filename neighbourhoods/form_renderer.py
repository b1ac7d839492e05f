"""Django's form renderer, with the select box, the plain inputs and the label written in
Python.

Django renders every ``<option>`` of a select through two templates (the option and its
attributes). A page with filters renders a few selects of some tens of options each: 12 ms of
the network page's 43 at 20,000 people (issue #19). An ``<input>`` and a ``<label>`` take two
templates each too (the map's filters: 4,000 Python calls of the page's 52,000).
:class:`FastSelectRenderer` writes the same HTML, byte for byte, from the same context;
``tests/quality/test_form_renderer.py`` compares it with Django's own for every kind of
select, input and label. Any other template, or a select whose options use another
template, is rendered by Django as before.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
LABEL = "django/forms/label.html"
# The widgets whose template is ``input.html`` and nothing else.
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}


def _attrs(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: True is a bare attribute, False none."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips what Django renders
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _label(context: dict[str, Any]) -> str:
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict, request=None) -> str:
        if template_name in INPUTS:
            return mark_safe(_input(context["widget"]))
        if template_name == LABEL:
            return mark_safe(_label(context).strip())
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return mark_safe(_select(context["widget"]))
        return super().render(template_name, context, request=request)
