from typing import Any, TypeVar

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from portal.models import CouncilArea, Role, Sector, User
from portal.selectors import reference_choices

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


class QuickSelect(forms.Select):
    """A select written out in Python: Django renders each option through its own template, which for the account
    form's 32 council areas and other lists cost more than the rest of the page. The same markup
    (django/forms/widgets/select.html, without the whitespace between options)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        str(option["value"]),
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped by format_html


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
        for name, model in (("role", Role), ("sector", Sector), ("council_area", CouncilArea)):
            field = field_of(self, name, forms.ModelChoiceField)
            field.queryset = model.objects.active()  # what an answer is checked against
            field.empty_label = "Prefer not to say"
            # What is offered: the same items, from the cache (portal.selectors.reference_choices), no query.
            field.widget = QuickSelect(attrs=field.widget.attrs)
            field.widget.is_required = field.required
            field.widget.choices = [("", field.empty_label), *reference_choices(model)]


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
