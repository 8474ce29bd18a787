from typing import Any

from django import forms

from champions.forms._widgets import NamedBlankChoices, date_widget, textarea
from champions.models import ActionOwner, SupportLog
from portal.permissions import StaffGroup, group_members

NEW_ACTIONS = 3


class SupportLogForm(NamedBlankChoices, forms.ModelForm):
    """A one-to-one record with up to three new agreed actions."""

    class Meta:
        model = SupportLog
        fields = ["met_on", "is_person", "topics", "notes", "follow_up_on"]
        widgets = {
            "met_on": date_widget(),
            "follow_up_on": date_widget(),
            "topics": textarea(3),
            "notes": textarea(5),
        }
        labels = {"met_on": "Date", "follow_up_on": "Follow up by (optional)"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["is_person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = group_members(StaffGroup.IS_ADMINS).order_by("email")
        for n in range(1, NEW_ACTIONS + 1):
            self.fields[f"action_{n}_text"] = forms.CharField(
                label=f"Agreed action {n} (optional)", required=False, max_length=500
            )
            self.fields[f"action_{n}_owner"] = forms.ChoiceField(
                label=f"Who does action {n}", choices=ActionOwner.choices, initial=ActionOwner.CHAMPION
            )
            self.fields[f"action_{n}_owner_name"] = forms.CharField(
                label=f"Name, if someone else (action {n})", required=False, max_length=120
            )
            self.fields[f"action_{n}_due_on"] = forms.DateField(
                label=f"Due by (action {n}, optional)", required=False, widget=date_widget()
            )

    def actions(self) -> list[dict[str, object]]:
        data = self.cleaned_data
        return [
            {
                "text": data[f"action_{n}_text"],
                "owner": data[f"action_{n}_owner"],
                "owner_name": data[f"action_{n}_owner_name"],
                "due_on": data[f"action_{n}_due_on"],
            }
            for n in range(1, NEW_ACTIONS + 1)
            if data.get(f"action_{n}_text")
        ]


class ActionsDoneForm(forms.Form):
    done = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Done")

    def __init__(self, *args: Any, log: SupportLog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["done"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(action.pk, action.text) for action in log.actions.all()]
        field.initial = [action.pk for action in log.actions.all() if action.done_at]
