"""The community's forms. Each optional profile question says why it is asked and who sees the answer; errors are
kind and say what to do."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from community.models import CommunityProfile, MemberBlock, ReactionKind, Topic, Visibility, WatchLevel
from community.services.posting import Upload
from portal import uploads
from portal.forms import field_of
from portal.models import CouncilArea, Role, Sector

TITLE_MAX = 200
BODY_MAX = 20_000
NOTE_MAX = 120
IMAGE_MAX_BYTES = 5 * 1024 * 1024
PDF_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_SIDE = 2000
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP")

# Where static/js/community-mentions.js asks for members to suggest as someone types @ in a post.
MENTION_SUGGEST = {"data-mention-suggest": reverse_lazy("community:member-suggest")}

VISIBILITY_HELP = "Who sees this: community members, or only the moderators."


class ProfileForm(forms.ModelForm):
    class Meta:
        model = CommunityProfile
        fields = [
            "display_name",
            "about",
            "organisation",
            "organisation_visibility",
            "role",
            "role_visibility",
            "sector",
            "sector_visibility",
            "council_area",
            "council_area_visibility",
            "listed_in_directory",
            "always_reveal_content_notes",
            "weekly_digest",
        ]
        labels = {
            "display_name": "Display name",
            "about": "A line about your work (optional)",
            "organisation": "Organisation (optional)",
            "organisation_visibility": "Who can see your organisation",
            "role": "Role (optional)",
            "role_visibility": "Who can see your role",
            "sector": "Sector (optional)",
            "sector_visibility": "Who can see your sector",
            "council_area": "Council area (optional)",
            "council_area_visibility": "Who can see your council area",
            "listed_in_directory": "List me in the member directory",
            "always_reveal_content_notes": "Always show posts that have a content note",
            "weekly_digest": "Send me a weekly email of the most active topics",
        }
        help_texts = {
            "display_name": "Shown to everyone who reads the forum, beside everything you post. "
            "It can be your name or a name you choose. Your email address is never shown.",
            "about": "Shown on your member page to signed-in members.",
            "organisation": "Helps members find people doing similar work.",
            "role": "Helps members find people in similar roles.",
            "sector": "Public, third (voluntary) or private sector.",
            "council_area": "Helps members find people near them.",
            "listed_in_directory": "Other members can then find you by sector, area and role. "
            "The directory shows only your display name and the details you let members see.",
            "always_reveal_content_notes": "Posts about sensitive subjects are folded away behind a short note "
            "until you choose to open them. Tick this to see them open straight away.",
        }
        widgets = dict.fromkeys(
            ("organisation_visibility", "role_visibility", "sector_visibility", "council_area_visibility"),
            forms.RadioSelect,
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "role", forms.ModelChoiceField).queryset = Role.objects.active()
        field_of(self, "sector", forms.ModelChoiceField).queryset = Sector.objects.active()
        field_of(self, "council_area", forms.ModelChoiceField).queryset = CouncilArea.objects.active()
        for name in ("role", "sector", "council_area"):
            field_of(self, name, forms.ModelChoiceField).empty_label = "Prefer not to say"
        for name in ("organisation", "role", "sector", "council_area"):
            field = field_of(self, f"{name}_visibility", forms.ChoiceField)
            field.choices = Visibility.choices
            field.help_text = VISIBILITY_HELP
        self.fields["display_name"].error_messages["required"] = (
            "Enter a display name: it is how other members will know you. It can be a name you choose."
        )

    def clean_display_name(self) -> str:
        name = " ".join(str(self.cleaned_data["display_name"]).split())
        if not name:
            raise ValidationError("Enter a display name: it is how other members will know you.")
        return name


class GuidelinesForm(forms.Form):
    accept = forms.BooleanField(
        label="I have read the community guidelines and will follow them",
        error_messages={"required": "Tick the box to say you will follow the guidelines, so you can join."},
    )


def _clean_attachment(upload: Any) -> Upload | None:
    """An image (re-encoded without its metadata) or a PDF, judged by what the file contains."""
    if not upload:
        return None
    name = str(getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:200]
    if uploads.is_pdf(upload):
        uploads.check_pdf(upload, max_bytes=PDF_MAX_BYTES, noun="file")
        return Upload(content=upload, name=name, kind="pdf", size=int(upload.size or 0))
    if uploads.image_format(upload, IMAGE_FORMATS) is None:
        raise ValidationError("The file must be a picture (PNG, JPEG or WebP) or a PDF. This file is neither.")
    clean = uploads.clean_image(
        upload, formats=IMAGE_FORMATS, max_bytes=IMAGE_MAX_BYTES, max_side=IMAGE_MAX_SIDE, noun="picture"
    )
    return Upload(content=clean, name=name, kind="image", size=clean.size)


class _PostFields(forms.Form):
    body = forms.CharField(
        label="Your post",
        widget=forms.Textarea(attrs={"rows": 10, **MENTION_SUGGEST}),
        max_length=BODY_MAX,
        help_text="You can use Markdown: **bold**, *italic*, lists, > quotes and [links](https://example.org). "
        "Mention a member with @ and their handle, for example @morven-reid.",
        error_messages={"required": "Write something to post.", "max_length": "Keep it under 20,000 characters."},
    )
    content_note = forms.CharField(
        label="Content note (optional)",
        max_length=NOTE_MAX,
        required=False,
        help_text="If your post talks about something that might be hard to read, such as abuse or self-harm, say "
        "so in a few words. Readers then choose when to open it.",
    )
    attachment = forms.FileField(
        label="Attach a picture or PDF (optional)",
        required=False,
        help_text="A PNG, JPEG or WebP picture up to 5 MB, or a PDF up to 10 MB. Location and camera details are "
        "removed from pictures. If there is a problem with another answer you will need to choose the file again.",
    )

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"]).replace("\r\n", "\n")
        if not body.strip():
            raise ValidationError("Write something to post.")
        return body

    def clean_attachment(self) -> Upload | None:
        return _clean_attachment(self.cleaned_data.get("attachment"))


class TopicForm(_PostFields):
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX,
        help_text="A short summary that helps people decide to read it.",
        error_messages={"required": "Give the topic a title."},
    )
    kind = forms.ChoiceField(
        label="What kind of topic is it?",
        choices=[
            (Topic.Kind.DISCUSSION, "A discussion: share something or start a conversation"),
            (Topic.Kind.QUESTION, "A question: you can mark the reply that answers it"),
        ],
        initial=Topic.Kind.DISCUSSION,
        widget=forms.RadioSelect,
    )
    field_order = ["title", "kind", "body", "content_note", "attachment"]

    def clean_title(self) -> str:
        title = " ".join(str(self.cleaned_data["title"]).split())
        if not title:
            raise ValidationError("Give the topic a title.")
        return title


class ReplyForm(_PostFields):
    body = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 8, **MENTION_SUGGEST}),
        max_length=BODY_MAX,
        help_text=_PostFields.base_fields["body"].help_text,
        error_messages={"required": "Write something to reply.", "max_length": "Keep it under 20,000 characters."},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX, required=False)
    body = _PostFields.base_fields["body"]
    content_note = _PostFields.base_fields["content_note"]

    def __init__(self, *args: Any, with_title: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
        else:
            self.fields["title"].required = True
            self.fields["title"].error_messages["required"] = "Give the topic a title."

    clean_body = _PostFields.clean_body


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class AnswerForm(forms.Form):
    post = forms.IntegerField(required=False)


class BlockForm(forms.Form):
    kind = forms.ChoiceField(
        label="What would you like to do?",
        choices=[*MemberBlock.Kind.choices, ("none", "Neither: show their posts as usual")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of the options."},
    )


class GroupJoinForm(forms.Form):
    message = forms.CharField(
        label="Why would you like to join? (optional)",
        max_length=300,
        required=False,
        help_text="The group's managers read this when they decide.",
    )


class DirectoryForm(forms.Form):
    sector = forms.ModelChoiceField(Sector.objects.none(), required=False, empty_label="Any sector")
    council_area = forms.ModelChoiceField(
        CouncilArea.objects.none(), required=False, empty_label="Any council area", label="Council area"
    )
    role = forms.ModelChoiceField(Role.objects.none(), required=False, empty_label="Any role")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "role", forms.ModelChoiceField).queryset = Role.objects.active()
        field_of(self, "sector", forms.ModelChoiceField).queryset = Sector.objects.active()
        field_of(self, "council_area", forms.ModelChoiceField).queryset = CouncilArea.objects.active()


class SearchForm(forms.Form):
    """The forum's search: words, and optional filters by category, group, author and date. The choices are the
    categories and groups the reader may read, passed in by the view."""

    q = forms.CharField(label="Search the community", max_length=200, required=False)
    category = forms.TypedChoiceField(label="Category", coerce=int, required=False, empty_value=None)
    group = forms.TypedChoiceField(label="Group", coerce=int, required=False, empty_value=None)
    author = forms.CharField(
        label="Written by (optional)",
        max_length=41,
        required=False,
        help_text="A member's handle, for example @sam-jones.",
    )
    since = forms.DateField(
        label="From (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    until = forms.DateField(
        label="To (optional)", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = {c.group.pk: c.group.name for c in categories if c.group is not None}
        field_of(self, "category", forms.TypedChoiceField).choices = [("", "Any category")] + [
            (c.pk, c.name) for c in categories
        ]
        by_name = sorted(groups.items(), key=lambda item: item[1])
        field_of(self, "group", forms.TypedChoiceField).choices = [("", "Any group"), *by_name]
        self.author_id: int | None = None

    def clean_author(self) -> str:
        from community.selectors.members import profiles_by_handles

        handle = self.cleaned_data["author"].strip().lstrip("@").lower()
        if not handle:
            return ""
        found = profiles_by_handles({handle}).get(handle)
        if found is None:
            raise ValidationError(f"No member has the handle @{handle}. Check the spelling, or leave this empty.")
        self.author_id = found.user_id
        return handle

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "Enter a date on or after the 'From' date.")
        return data


class WatchForm(forms.Form):
    """A member's choice for a topic or a category: watch, track, mute, or leave it as it is by default."""

    level = forms.ChoiceField(
        label="Notifications",
        widget=forms.RadioSelect,
        required=False,
        choices=[
            ("", "Normal: as you have set for its category (for a topic), or nothing (for a category)"),
            *WatchLevel.choices,
        ],
    )
