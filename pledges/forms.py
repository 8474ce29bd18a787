"""Forms for signing, managing and reviewing pledges. Every refusal says what to change."""

import re
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.core.validators import MaxLengthValidator, URLValidator

from pledges.models import ACTION_GROUPS, OrganisationType, ProgressUpdate, SizeBand
from portal.forms import EMAIL_MAX_LENGTH, EMAIL_TOO_LONG, field_of
from portal.models import CouncilArea, Sector
from portal.uploads import clean_image

STATEMENT_MAX_WORDS = 150
UPDATE_MAX_WORDS = 300
UPDATE_MAX_CHARS = 4000
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 600
LOGO_FORMATS = ("PNG", "JPEG")
SCOTLAND_WIDE = "scotland-wide"


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces. The browser counter counts the same way."""
    return len(text.split())


def word_limit_validator(limit: int):
    def validate(value: str) -> None:
        count = word_count(value)
        if count > limit:
            raise forms.ValidationError(
                f"Please shorten this to {limit} words or fewer. It has {count} words, so take out {count - limit}."
            )

    return validate


def reencode_logo(upload) -> ContentFile:
    """A PNG or JPEG logo, checked by its content and re-encoded to fit the register (portal.uploads)."""
    return clean_image(upload, formats=LOGO_FORMATS, max_bytes=LOGO_MAX_BYTES, max_side=LOGO_MAX_SIDE, noun="logo")


class ActionsMixin(forms.Form):
    """The example actions as two groups of tick boxes, then the organisation's own."""

    actions_lived = forms.MultipleChoiceField(
        label=ACTION_GROUPS[0][0],
        choices=ACTION_GROUPS[0][1],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    actions_leadership = forms.MultipleChoiceField(
        label=ACTION_GROUPS[1][0],
        choices=ACTION_GROUPS[1][1],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    own_actions = forms.CharField(
        label="Your own actions (optional)",
        help_text="One action a line, in plain words. At most 10 actions of 30 words each.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_own_actions(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["own_actions"].splitlines() if line.strip()]
        if len(lines) > 10:
            raise forms.ValidationError(f"Please list 10 actions or fewer. There are {len(lines)}.")
        for number, line in enumerate(lines, start=1):
            if word_count(line) > 30:
                raise forms.ValidationError(f"Please shorten action {number} to 30 words or fewer.")
        return "\n".join(lines)

    def chosen_actions(self) -> list[str]:
        return list(self.cleaned_data.get("actions_lived", [])) + list(self.cleaned_data.get("actions_leadership", []))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not self.chosen_actions() and not cleaned.get("own_actions"):
            raise forms.ValidationError("Please choose at least one action, or add one of your own.")
        return cleaned


def statement_field() -> forms.CharField:
    return forms.CharField(
        label="Your public statement",
        help_text=(
            f"Up to {STATEMENT_MAX_WORDS} words on why your organisation is signing and what it will do. "
            "Plain text: it is published exactly as you write it."
        ),
        max_length=2000,
        validators=[word_limit_validator(STATEMENT_MAX_WORDS)],
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Please write a short public statement.",
            "max_length": "Please shorten the statement to 2,000 characters or fewer.",
        },
    )


class PledgeSignForm(ActionsMixin):
    # autocomplete (WCAG 1.3.5): browsers can fill in the contact's own details; the senior leader is usually
    # someone else, so the browser should not offer the contact's name there.
    organisation_name = forms.CharField(
        label="Organisation name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Please give your organisation's name."},
    )
    organisation_type = forms.ChoiceField(
        label="Type of organisation",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose the type of organisation."},
    )
    sector = forms.ModelChoiceField(
        label="Sector",
        queryset=Sector.objects.active(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose your sector."},
    )
    areas = forms.MultipleChoiceField(
        label="Council areas you serve",
        help_text='Choose every area you work in, or "Scotland-wide".',
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": 'Please choose at least one council area, or "Scotland-wide".'},
    )
    website = forms.CharField(
        label="Website (optional)",
        help_text="If your organisation has a website, its address, for example https://www.example.org. "
        "Leave this empty if it has none.",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "url", "inputmode": "url", "spellcheck": "false"}),
    )
    size_band = forms.ChoiceField(
        label="Number of people in your organisation",
        choices=SizeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose the size of your organisation."},
    )
    logo = forms.FileField(
        label="Logo (optional)",
        help_text="A PNG or JPEG of 2 MB or less. We resize it to fit the register.",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    statement = statement_field()
    leader_name = forms.CharField(
        label="Name of the senior leader who authorised the pledge",
        help_text="Published with your pledge.",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Please give the name of the senior leader who authorised the pledge."},
    )
    leader_role = forms.CharField(
        label="Their role",
        help_text="For example: Chief Executive. Published with your pledge.",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Please give the senior leader's role."},
    )
    leader_confirmed = forms.BooleanField(
        label="I confirm this senior leader has authorised our organisation to sign the pledge",
        error_messages={"required": "Please confirm that a senior leader has authorised the pledge."},
    )
    contact_name = forms.CharField(
        label="Your name",
        help_text="Private: only the review team sees it.",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Please give your name, so we know who to contact."},
    )
    contact_email = forms.EmailField(
        label="Your email address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="Private. We send a link here to confirm the pledge, and later to manage it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Please give your email address, so we can send the confirmation link.",
            "invalid": "Please give an email address in the form name@example.org.",
            "max_length": EMAIL_TOO_LONG,
        },
    )
    # A field people never see; automated form-fillers tend to fill it in.
    nickname = forms.CharField(required=False, label="Leave this empty")

    field_order = [
        "organisation_name",
        "organisation_type",
        "sector",
        "areas",
        "website",
        "size_band",
        "logo",
        "statement",
        "actions_lived",
        "actions_leadership",
        "own_actions",
        "leader_name",
        "leader_role",
        "leader_confirmed",
        "contact_name",
        "contact_email",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "areas", forms.MultipleChoiceField).choices = [(SCOTLAND_WIDE, "Scotland-wide")] + [
            (area.slug, area.name) for area in CouncilArea.objects.active()
        ]

    def clean_website(self) -> str:
        value = self.cleaned_data["website"].strip()
        if not value:
            return ""  # small organisations may have no website; duplicates are then found by name alone
        # "example.org" gets https:// in front; anything with a scheme of its own (javascript:, ftp://) is refused.
        if value and not re.match(r"^[a-z][a-z0-9+.-]*:(?!\d)", value, re.IGNORECASE):
            value = f"https://{value}"
        if not value.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("The website must start with https:// or http://")
        try:
            URLValidator(schemes=["http", "https"])(value)
        except forms.ValidationError:
            raise forms.ValidationError("Please give the website address in the form https://www.example.org") from None
        return value

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return reencode_logo(upload) if upload else None

    def clean_areas(self) -> list[str]:
        chosen = self.cleaned_data["areas"]
        if SCOTLAND_WIDE in chosen and len(chosen) > 1:
            raise forms.ValidationError('Please choose either "Scotland-wide" or particular council areas, not both.')
        return chosen

    def is_bot(self) -> bool:
        return bool(self.data.get("nickname"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        areas = [slug for slug in data["areas"] if slug != SCOTLAND_WIDE]
        return {
            "organisation_name": data["organisation_name"],
            "organisation_type": data["organisation_type"],
            "sector": data["sector"],
            "council_areas": list(CouncilArea.objects.filter(slug__in=areas)),
            "scotland_wide": SCOTLAND_WIDE in data["areas"],
            "website": data["website"],
            "size_band": data["size_band"],
            "statement": data["statement"],
            "actions": self.chosen_actions(),
            "own_actions": data["own_actions"],
            "leader_name": data["leader_name"],
            "leader_role": data["leader_role"],
            "contact_name": data["contact_name"],
            "contact_email": data["contact_email"],
            "logo": data.get("logo"),
        }


class PledgeEditForm(ActionsMixin):
    statement = statement_field()
    field_order = ["statement", "actions_lived", "actions_leadership", "own_actions"]

    @classmethod
    def initial_for(cls, pledge) -> dict:
        pending = pledge.edit_pending
        keys = pledge.pending_actions if pending else pledge.actions
        lived = {key for key, _ in ACTION_GROUPS[0][1]}
        return {
            "statement": pledge.pending_statement if pending else pledge.statement,
            "actions_lived": [k for k in keys if k in lived],
            "actions_leadership": [k for k in keys if k not in lived],
            "own_actions": pledge.pending_own_actions if pending else pledge.own_actions,
        }


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["done", "next_steps"]
        labels = {"done": "What your organisation did", "next_steps": "What you will do next"}
        help_texts = {
            "done": "Plain text, up to 300 words. It is published on your organisation's page after review.",
            "next_steps": "Plain text, up to 300 words.",
        }
        widgets = {"done": forms.Textarea(attrs={"rows": 6}), "next_steps": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "done": {"required": "Please say what your organisation did."},
            "next_steps": {"required": "Please say what you will do next."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("done", "next_steps"):
            # The fields are built from TextFields by now: setting max_length alone would add no validator.
            field = field_of(self, name, forms.CharField)
            field.max_length = UPDATE_MAX_CHARS
            field.validators += [
                word_limit_validator(UPDATE_MAX_WORDS),
                MaxLengthValidator(
                    UPDATE_MAX_CHARS, message=f"Please shorten this to {UPDATE_MAX_CHARS:,} characters or fewer."
                ),
            ]


class ChangeContactForm(forms.Form):
    # Someone else's details: the browser should not fill in the person's own.
    contact_name = forms.CharField(
        label="New contact's name",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Please give the new contact's name."},
    )
    contact_email = forms.EmailField(
        label="New contact's email address",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="We send them a link to manage the pledge. Links sent to the current contact stop working.",
        error_messages={
            "required": "Please give the new contact's email address.",
            "invalid": "Please give an email address in the form name@example.org.",
            "max_length": EMAIL_TOO_LONG,
        },
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand our organisation will be removed from the register straight away",
        error_messages={"required": "Please tick the box to confirm you want to withdraw the pledge."},
    )


class ManageLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="The contact email address for your pledge",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Please give the email address you used when signing.",
            "invalid": "Please give an email address in the form name@example.org.",
        },
    )
    nickname = forms.CharField(required=False, label="Leave this empty")


class ReviewForm(forms.Form):
    APPROVE, CHANGES, REJECT = "approve", "changes", "reject"
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (APPROVE, "Approve and publish"),
            (CHANGES, "Ask for changes"),
            (REJECT, "Reject"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a decision."},
    )
    message = forms.CharField(
        label="Message to the contact",
        help_text="Needed when you ask for changes or reject: say what to change, or why. It is emailed to them.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, allow_changes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_changes:
            field_of(self, "decision", forms.ChoiceField).choices = [
                (self.APPROVE, "Approve and publish"),
                (self.REJECT, "Do not publish"),
            ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") in {self.CHANGES, self.REJECT} and not cleaned.get("message", "").strip():
            self.add_error("message", "Please write a message saying what to change, or why, for the contact.")
        return cleaned


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label="Reason for removing this organisation from the register",
        help_text="Kept in the pledge's history. Not published.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Please record the reason for removing this organisation."},
    )
