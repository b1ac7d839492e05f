"""The select box written in Python is Django's, byte for byte (neighbourhoods.form_renderer)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from neighbourhoods.form_renderer import FastSelectRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A"), ("b", "Bee <b> & “quotes”")])
    optional = forms.ChoiceField(required=False, choices=[("", "—"), ("1", "one")])
    numbers = forms.TypedChoiceField(coerce=int, choices=[(1, 1), (2, "two"), (None, "none")])
    grouped = forms.ChoiceField(
        choices=[
            ("Fruit", [("apple", "Apple"), ("pear", gettext_lazy("Pear"))]),
            ("x", "loose"),
            ('Veg "&"', [("leek", mark_safe("<em>Leek</em>"))]),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    styled = forms.ChoiceField(
        choices=[("q", "Q")],
        widget=forms.Select(attrs={"class": 'a"b', "data-x": "1 < 2", "disabled": True}),
        help_text="Helps",
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"plain": "b", "optional": "1", "numbers": "2", "grouped": "pear", "many": ["x", "z"]},
        {"plain": "nope", "numbers": "x", "grouped": "<script>", "many": ["q"]},
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_select_is_rendered_as_django_renders_it(data, language):
    from django.utils import translation

    with translation.override(language):
        django_form = Everything(data, renderer=DjangoTemplates())
        fast_form = Everything(data, renderer=FastSelectRenderer())
        if data is not None:
            django_form.is_valid()
            fast_form.is_valid()
        for name in Everything.base_fields:
            expected = str(django_form[name])
            assert "<select" in expected
            assert str(fast_form[name]) == expected, name


def test_other_widgets_are_left_to_django():
    class Other(forms.Form):
        radio = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        text = forms.CharField()

    for name in ("radio", "text"):
        expected = str(Other(renderer=DjangoTemplates())[name])
        assert str(Other(renderer=FastSelectRenderer())[name]) == expected


def test_the_app_renders_its_forms_with_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastSelectRenderer)
