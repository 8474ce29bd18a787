from typing import Any

from django import forms

from champions.forms._widgets import NamedBlankChoices, date_widget, textarea
from champions.models import Champion, ChampionStatus
from champions.services.people import ADMIN_FIELDS, OWN_FIELDS
from portal.models import CouncilArea


class ChampionForm(NamedBlankChoices, forms.ModelForm):
    """An IS admin adds or changes a champion's record."""

    council_areas = forms.ModelMultipleChoiceField(
        queryset=CouncilArea.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Council areas they cover",
    )

    class Meta:
        model = Champion
        fields = [*ADMIN_FIELDS, "council_areas"]
        widgets = {
            "date_joined": date_widget(),
            "local_contacts": textarea(3),
            "notes": textarea(4),
        }
        labels = {"public_listed": 'List this champion in "Find your trauma champion" (they agreed)'}

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = Champion.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                "Another champion's record has this email address. Check it is not the same person."
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("public_listed") and not (data.get("public_email") or data.get("public_phone")):
            self.add_error("public_email", "To list a champion publicly, give a public email address or phone number.")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ChampionStatus.choices, widget=forms.RadioSelect, label="Status")
    since = forms.DateField(label="From", widget=date_widget())
    expected_return_on = forms.DateField(
        label="Expected back (optional, for leave)", required=False, widget=date_widget()
    )
    reason = forms.CharField(label="Note for the history (optional)", required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        back, since = data.get("expected_return_on"), data.get("since")
        if back and data.get("status") != ChampionStatus.ON_LEAVE:
            self.add_error("expected_return_on", "Leave this empty unless the champion is on leave.")
        elif back and since and back < since:
            self.add_error("expected_return_on", "Choose a return date after the leave begins.")
        return data


class OwnDetailsForm(NamedBlankChoices, forms.ModelForm):
    """A champion keeps their own details current."""

    class Meta:
        model = Champion
        fields = list(OWN_FIELDS)
        widgets = {"local_contacts": textarea(3)}
        labels = {
            "public_listed": 'List me in "Find your trauma champion"',
            "public_email": "Public email address (optional)",
            "public_phone": "Public phone number (optional)",
            "public_statement": "How you can help, in a sentence (optional)",
        }
        # Said to the champion, not about them (the model's own hints are written for the IS admins' form).
        help_texts = {
            "public_listed": "Anyone can see your name, job title, organisation and the public details below. "
            "Your other details stay with the Improvement Service.",
            "public_email": "An address you are happy for anyone to see, such as a team inbox.",
            "public_statement": "For example: happy to talk about trauma training for your team.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("public_listed") and not (data.get("public_email") or data.get("public_phone")):
            self.add_error("public_email", "To be listed, give a public email address or phone number people can use.")
        return data


class FindForm(forms.Form):
    area = forms.SlugField(required=False)
    board = forms.SlugField(required=False)
    hscp = forms.SlugField(required=False)
