"""Forms for flagging a post and for the moderators' actions. Errors say what to do; reasons that a member will be
told are required, and the help text says so."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from community.forms import TITLE_MAX, PostEditForm
from community.models import Category, CommunitySettings, Flag, ModerationAction, Post

REASON_MAX = 1000
# The order the brief and the guidelines list them in: what members most often see first.
FLAG_CHOICES = [
    (Flag.Reason.UNKIND, "It is unkind or disrespectful"),
    (Flag.Reason.HARMFUL, "It could cause harm"),
    (Flag.Reason.SPAM, "It is spam or advertising"),
    (Flag.Reason.PERSONAL_INFORMATION, "It shares someone's personal information"),
    (Flag.Reason.NEEDS_SUPPORT, "I think the person who wrote it may need support"),
    (Flag.Reason.OTHER, "Something else"),
]
TOLD_HELP = "The member is told this, so write it kindly and plainly."


def _reason(*, required: bool, label: str = "Reason", help_text: str = TOLD_HELP) -> forms.CharField:
    return forms.CharField(
        label=label if required else f"{label} (optional)",
        required=required,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": "Give a reason: the member will read it.", "max_length": "Keep it shorter."},
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you flagging this post?",
        choices=FLAG_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason that fits best. If none does, choose Something else."},
    )
    note = forms.CharField(
        label="Anything the moderators should know? (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the moderators read this. The person who wrote the post is not told who flagged it.",
        error_messages={"max_length": "Keep it under 1,000 characters."},
    )


class PostDecisionForm(forms.Form):
    """What a moderator does with one post."""

    ACTIONS = [
        ("hide", "Hide the post"),
        ("restore", "Show the post again"),
        ("dismiss", "Leave the post as it is and close the flags"),
        ("approve", "Approve the waiting post"),
        ("reject", "Do not approve the waiting post"),
    ]
    NEEDS_REASON = {"hide", "reject"}

    action = forms.ChoiceField(
        label="What would you like to do?",
        choices=ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do with the post."},
    )
    reason = _reason(required=False, help_text="Needed to hide a post or not approve it. " + TOLD_HELP)

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = {
            Post.Status.VISIBLE: {"hide", "dismiss"},
            Post.Status.HIDDEN: {"restore", "dismiss"},
            Post.Status.HELD: {"approve", "reject"},
        }.get(Post.Status(post.status), {"dismiss"})
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in self.ACTIONS if value in allowed]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") in self.NEEDS_REASON and not str(data.get("reason", "")).strip():
            self.add_error("reason", "Give a reason: the member will read it.")
        return data


class ModeratorEditForm(PostEditForm):
    reason = _reason(required=True, label="Why are you changing it?")


class TopicStateForm(forms.Form):
    ACTIONS = [("lock", "Lock"), ("unlock", "Unlock"), ("pin", "Pin"), ("unpin", "Unpin"), ("show", "Show")]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = _reason(required=False, help_text="Kept in the audit log.")


class TopicHideForm(forms.Form):
    """Hiding a whole topic: its author is told the reason."""

    reason = _reason(required=True, help_text="The topic's author is told this. " + TOLD_HELP)


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(
        Category.objects.none(),
        label="Move to",
        empty_label=None,
        error_messages={"required": "Choose a category.", "invalid_choice": "Choose one of the categories."},
    )
    reason = _reason(required=False, help_text="Kept in the audit log.")

    def __init__(self, *args: Any, exclude_pk: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.exclude(pk=exclude_pk).order_by("order", "name")


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label="Merge into topic number",
        min_value=1,
        help_text="The number at the end of the other topic's address: for /community/t/42/ enter 42. This topic's "
        "posts move to the end of that one, and this topic's address sends readers there.",
        error_messages={"required": "Enter the other topic's number.", "invalid": "Enter a number, like 42."},
    )
    reason = _reason(required=False, help_text="Kept in the audit log.")


class SplitForm(forms.Form):
    posts = forms.TypedMultipleChoiceField(
        label="Replies to move",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one reply to move."},
    )
    title = forms.CharField(
        label="Title of the new topic", max_length=TITLE_MAX, error_messages={"required": "Give the new topic a title."}
    )
    category = forms.ModelChoiceField(Category.objects.none(), label="Category of the new topic", empty_label=None)
    reason = _reason(required=False, help_text="Kept in the audit log.")

    def __init__(self, *args: Any, replies: list[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        posts = self.fields["posts"]
        assert isinstance(posts, forms.TypedMultipleChoiceField)
        posts.choices = [(post.pk, f"#{post.number}") for post in replies]
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.order_by("order", "name")


class SuspendForm(forms.Form):
    PERIODS = [
        ("1", "1 day"),
        ("3", "3 days"),
        ("7", "1 week"),
        ("14", "2 weeks"),
        ("30", "30 days"),
        ("90", "90 days"),
    ]
    days = forms.ChoiceField(
        label="For how long?",
        choices=PERIODS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long the pause lasts."},
    )
    reason = _reason(required=True, help_text="The member sees this with the end date. " + TOLD_HELP)

    def until(self) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(days=int(self.cleaned_data["days"]))


class LiftForm(forms.Form):
    reason = _reason(required=False)


class MemberDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: they can take part"), ("decline", "Do not approve")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or do not approve."},
    )
    reason = _reason(required=False, help_text="Needed when you do not approve. " + TOLD_HELP)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not str(data.get("reason", "")).strip():
            self.add_error("reason", "Give a reason: the person will read it.")
        return data


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(label="Action", required=False)
    moderator = forms.TypedChoiceField(label="Moderator", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, moderators: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", "Any action"), *ModerationAction.Action.choices]
        moderator = self.fields["moderator"]
        assert isinstance(moderator, forms.TypedChoiceField)
        moderator.choices = [("", "Any moderator"), *moderators]


class SettingsForm(forms.ModelForm):
    reason = _reason(required=False, help_text="Kept in the audit log with the change.")

    class Meta:
        model = CommunitySettings
        fields = [
            "require_member_approval",
            "held_first_posts",
            "auto_hide_flags",
            "established_after_days",
            "established_min_posts",
        ]
        labels = {
            "require_member_approval": "New members wait for a moderator to approve them",
            "held_first_posts": "How many of a new member's first posts wait for a moderator",
            "auto_hide_flags": "Hide a post by itself after this many flags from established members",
            "established_after_days": "An established member has been a member for at least this many days",
            "established_min_posts": "and has written at least this many posts that others can see",
        }
        help_texts = {
            "require_member_approval": "They are told plainly that a moderator will look at their request soon.",
            "held_first_posts": "0 means no post waits. Moderators' posts never wait.",
            "auto_hide_flags": "0 means posts are never hidden by flags alone; a moderator always decides.",
            "established_after_days": "Flags from newer members still reach the moderators, they just do not hide "
            "posts by themselves.",
            "established_min_posts": "Posts waiting for a moderator or hidden do not count.",
        }
