"""The select box, inputs and labels written in Python are Django's, byte for byte
(neighbourhoods.form_renderer)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from neighbourhoods.form_renderer import FastSelectRenderer


@pytest.fixture(params=["nl", "en"])
def language(request):
    """Each test in both languages (labels and lazy choices are translated)."""
    from django.utils import translation

    with translation.override(request.param):
        yield request.param


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
def test_every_select_is_rendered_as_django_renders_it(data, language):
    _same_widgets(Everything, data, "<select")


def _same_widgets(form_class, data, tag: str):
    """Every field's widget rendered by our renderer is Django's (the forms validated when
    bound); returns both forms."""
    django_form = form_class(data, renderer=DjangoTemplates())
    fast_form = form_class(data, renderer=FastSelectRenderer())
    if data is not None:
        django_form.is_valid()
        fast_form.is_valid()
    for name in form_class.base_fields:
        expected = str(django_form[name])
        assert tag in expected
        assert str(fast_form[name]) == expected, name
    return django_form, fast_form


class Inputs(forms.Form):
    text = forms.CharField(label="Naam <b> & “quotes”", help_text="Helps")
    optional = forms.CharField(required=False, label=mark_safe("<em>Safe</em>"))
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(required=False, decimal_places=2)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"type": "search", "data-x": 'a"<b>'})
    )
    tel = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    colour = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "color"}))
    flag = forms.BooleanField(required=False)
    off = forms.CharField(required=False, disabled=True, initial=3)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"text": "Ans <script>", "number": "7", "decimal": "1.5", "day": "2026-03-02",
         "flag": "on", "secret": "x", "hidden": '"', "search": "fiets & koffie"},
        {"number": "-1", "decimal": "x", "email": "no", "url": "no", "when": "no", "time": "25"},
    ],
)  # fmt: skip
def test_every_input_and_label_is_rendered_as_django_renders_it(data, language):
    django_form, fast_form = _same_widgets(Inputs, data, "<input")
    for name in Inputs.base_fields:
        assert fast_form[name].label_tag() == django_form[name].label_tag(), name
        assert fast_form[name].legend_tag() == django_form[name].legend_tag(), name
        assert fast_form[name].label_tag(attrs={"class": "x"}, label_suffix=":") == (
            django_form[name].label_tag(attrs={"class": "x"}, label_suffix=":")
        ), name
    # a whole form, as a page renders one
    assert fast_form.as_div() == django_form.as_div()


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
