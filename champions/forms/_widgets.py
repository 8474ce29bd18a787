from typing import Any

from django import forms


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


DASHES = "---------"


def name_blank_choices(form: forms.BaseForm) -> None:
    """Django opens a list on "---------", which reads as nothing at all (and a screen reader spells it out): say
    "Choose one" where an answer is needed and "None" where it is not. Radio buttons that need an answer get no blank
    button at all: one that means "no answer" is not an answer to offer."""
    for field in form.fields.values():
        words = "Choose one" if field.required else "None"
        radio_needing_answer = isinstance(field.widget, forms.RadioSelect) and field.required
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES:
                field.empty_label = None if radio_needing_answer else words
        elif isinstance(field, forms.ChoiceField):
            choices: list[Any] = list(field.widget.choices)  # the field's choices, normalised to pairs
            if choices and tuple(choices[0]) == ("", DASHES):
                field.choices = choices[1:] if radio_needing_answer else [("", words), *choices[1:]]


class NamedBlankChoices:
    """A form whose lists open on words, not dashes (see name_blank_choices). List it before the Django form class."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self, forms.BaseForm)
        name_blank_choices(self)
