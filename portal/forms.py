from typing import Any, TypeVar

from django import forms
from django.core.validators import MaxLengthValidator

from portal.models import CouncilArea, Role, Sector, User

_Field = TypeVar("_Field", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_Field]) -> _Field:
    """`form.fields[name]` as the kind of field it is, to change what only that kind has (a ChoiceField's choices, a
    ModelChoiceField's queryset). Raises TypeError if the field is of another kind."""
    found = form.fields[name]
    if not isinstance(found, kind):
        raise TypeError(f"Field {name!r} is a {type(found).__name__}, not a {kind.__name__}.")
    return found


# What an email address column holds (models.EmailField's default). forms.EmailField accepts up to 320 characters, so
# a longer address passed the form and the save failed: PostgreSQL refuses it, a server error instead of a message.
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = f"Please give an email address of {EMAIL_MAX_LENGTH} characters or fewer."


def email_fits_storage(field: forms.CharField) -> forms.CharField:
    """Limit an email field to what the database stores, with a kind message. Works on a field already built (an
    allauth form's), where setting max_length alone would add no validator."""
    field.max_length = EMAIL_MAX_LENGTH
    kept = [validator for validator in field.validators if not isinstance(validator, MaxLengthValidator)]
    field.validators = [*kept, MaxLengthValidator(EMAIL_MAX_LENGTH, message=EMAIL_TOO_LONG)]
    field.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)
    return field


class ProfileForm(forms.ModelForm):
    """Optional details. Each help text says why we ask and who sees the answer."""

    class Meta:
        model = User
        fields = ["display_name", "organisation", "role", "sector", "council_area"]
        labels = {
            "display_name": "Display name (optional)",
            "organisation": "Organisation (optional)",
            "role": "Role (optional)",
            "sector": "Sector (optional)",
            "council_area": "Council area (optional)",
        }
        help_texts = {
            "display_name": "Shown beside what you post in the community. Only your display name is ever shown "
            "to other people, never your email address.",
            "organisation": "Helps other members know where you work if you choose to share it on community posts. "
            "Improvement Service staff see it too.",
            "role": "Helps us suggest the training that fits your work. Only you and Improvement Service staff see it.",
            "sector": "Used, without your name, to see which parts of the workforce the portal reaches. "
            "Only you and Improvement Service staff see it.",
            "council_area": "Helps us show you local events and champions. "
            "Only you and Improvement Service staff see it.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "role", forms.ModelChoiceField).queryset = Role.objects.active()
        field_of(self, "sector", forms.ModelChoiceField).queryset = Sector.objects.active()
        field_of(self, "council_area", forms.ModelChoiceField).queryset = CouncilArea.objects.active()
        for name in ("role", "sector", "council_area"):
            field_of(self, name, forms.ModelChoiceField).empty_label = "Prefer not to say"


class AccountDeleteForm(forms.Form):
    remove_writing = forms.BooleanField(
        label="Also delete the posts and replies I wrote in the community",
        required=False,
        help_text='If you leave this unticked, they stay with "Former member" instead of your name. If you tick '
        'it, each one is emptied and shows "Deleted by its author", so the replies around it still make sense.',
    )
    confirm = forms.BooleanField(
        label="I understand that my account and learning record will be deleted and this cannot be undone",
        error_messages={"required": "Tick the box to confirm you want to delete your account."},
    )
