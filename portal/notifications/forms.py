from django import forms

from portal.notifications import registry
from portal.notifications.models import Preference
from portal.notifications.registry import Delivery


class PreferencesForm(forms.Form):
    """One question per kind a person may control; each shows the kind's own description as its hint."""

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
        for kind in registry.controllable_kinds(user):
            choices = [(d.value, d.label) for d in Delivery if kind.in_app or d != Delivery.IN_APP]
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=choices,
                widget=forms.RadioSelect,
                initial=chosen.get(kind.name, kind.default.value),
                error_messages={"required": f"Choose how you want to hear about {kind.label.lower()}."},
            )
