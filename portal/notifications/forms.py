from typing import Any

from django import forms

from portal.models import User
from portal.notifications import registry, selectors
from portal.notifications.registry import Delivery, Kind


class PreferencesForm(forms.Form):
    """One question per kind a person may control; each shows the kind's own description as its hint."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.kinds = {kind.name: kind for kind in registry.controllable_kinds(user)}
        chosen = selectors.preferences_chosen(user_id=user.pk)
        for kind in self.kinds.values():
            choices = [(d.value, d.label) for d in Delivery if kind.in_app or d != Delivery.IN_APP]
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=choices,
                widget=forms.RadioSelect,
                initial=chosen.get(kind.name, kind.default).value,
                error_messages={"required": f"Choose how you want to hear about {kind.label.lower()}."},
            )

    def choices(self) -> dict[Kind, Delivery]:
        """The valid answers, keyed by the Kind objects the services take."""
        return {self.kinds[name]: Delivery(value) for name, value in self.cleaned_data.items()}
