"""Forms for the IS admins' operational tools: the training totals filters, CSV uploads, composing a message and
asking for the confidential export."""

from __future__ import annotations

from typing import Any

from django import forms

from champions.forms._widgets import date_widget, textarea
from champions.models import ChampionStatus, Cohort, OrganisationType, TrainingType
from champions.selectors.totals import PERIODS
from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard, PracticeLevel

UNREAD_DATE = "We could not read this date, so the totals leave it out. Write it as 2025-03-31."


class TotalsFilterForm(forms.Form):
    """GET filters for the training totals page. Anything that does not parse is ignored, never an error page."""

    level = forms.ModelChoiceField(
        queryset=PracticeLevel.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label="Any",
        label="Practice level",
    )
    area = forms.ModelChoiceField(
        queryset=CouncilArea.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label="Any",
        label="Council area",
    )
    training_type = forms.ChoiceField(
        choices=[("", "Any"), *TrainingType.choices], required=False, label="Type of training"
    )
    since = forms.DateField(required=False, label="From", widget=date_widget(), error_messages={"invalid": UNREAD_DATE})
    until = forms.DateField(required=False, label="To", widget=date_widget(), error_messages={"invalid": UNREAD_DATE})
    period = forms.ChoiceField(
        choices=[(name, f"By {name}") for name in PERIODS], required=False, initial="month", label="Totals by period"
    )

    @property
    def dates_swapped(self) -> bool:
        """The dates were given the other way round: the totals are for the period between them, and the page says
        so rather than quietly showing another period than the form reads."""
        data = self.cleaned_data if self.is_valid() else {}
        since, until = data.get("since"), data.get("until")
        return bool(since and until and since > until)

    def filters(self) -> dict[str, Any]:
        """The filters that parsed, as keyword arguments for selectors.totals.training_totals."""
        data = self.cleaned_data if self.is_valid() else {}
        level, area = data.get("level"), data.get("area")
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            since, until = until, since
        return {
            "level": level.slug if level else "",
            "area": area.slug if area else "",
            "training_type": data.get("training_type") or "",
            "since": since,
            "until": until,
            "period": data.get("period") or "month",
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Choose a CSV file",
        help_text="Save the spreadsheet as CSV (comma-separated values). Nothing is saved until you check the rows "
        "and confirm.",
        error_messages={
            "required": "Choose a CSV file to upload.",
            "empty": "The file is empty. The first row should name the columns.",
        },
    )


class AudienceForm(forms.Form):
    """Who a message goes to: a cohort's current members, or the champions that match some filters."""

    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.order_by("-starts_on", "name"),
        required=False,
        empty_label="No cohort: use the filters below",
        label="Send to a cohort",
        help_text="Everyone in the cohort now, except champions who have stepped down.",
    )
    area = forms.ModelChoiceField(
        queryset=CouncilArea.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label="Any",
        label="Council area",
    )
    board = forms.ModelChoiceField(
        queryset=HealthBoard.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label="Any",
        label="NHS board",
    )
    hscp = forms.ModelChoiceField(
        queryset=HealthAndSocialCarePartnership.objects.active(),
        to_field_name="slug",
        required=False,
        empty_label="Any",
        label="Health and social care partnership",
    )
    organisation_type = forms.ChoiceField(
        choices=[("", "Any"), *OrganisationType.choices], required=False, label="Type of organisation"
    )
    status = forms.ChoiceField(
        choices=[(ChampionStatus.ACTIVE, "Active champions"), ("current", "Active and on leave")],
        required=False,
        initial=ChampionStatus.ACTIVE,
        label="Status",
        help_text="Champions who have stepped down are never included.",
    )


class MessageForm(AudienceForm):
    subject = forms.CharField(max_length=200, label="Subject")
    body = forms.CharField(
        widget=textarea(10),
        max_length=20000,
        label="Message",
        help_text="Plain text, or Markdown for headings, lists and links. Each champion's email starts with a "
        "greeting by name and ends with how to change what they receive.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cohort") and any(data.get(name) for name in ("area", "board", "hscp", "organisation_type")):
            self.add_error("cohort", "Choose a cohort or filters, not both: the message goes to one or the other.")
        return data


class SupportExportForm(forms.Form):
    understood = forms.BooleanField(
        label="I understand this file holds confidential one-to-one records and I will keep it safe",
        error_messages={"required": "Confirm you will keep the file safe."},
    )
