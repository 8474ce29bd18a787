from typing import Any

from django import forms

from champions.forms._widgets import NamedBlankChoices, date_widget, datetime_widget, textarea
from champions.models import AttendanceStatus, Champion, Cohort, NoteAudience, Session
from portal import uploads
from portal.models import CouncilArea
from portal.permissions import StaffGroup, group_members

SHARED_FILE_MAX_BYTES = 20 * 1024 * 1024


class CohortForm(NamedBlankChoices, forms.ModelForm):
    facilitators = forms.ModelMultipleChoiceField(
        queryset=group_members(StaffGroup.IS_ADMINS).order_by("email"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Facilitators",
    )

    class Meta:
        model = Cohort
        fields = ["name", "description", "starts_on", "ends_on", "facilitators"]
        widgets = {"starts_on": date_widget(), "ends_on": date_widget(), "description": textarea(3)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Choose an end date on or after the start date.")
        return data


class MemberFilterForm(forms.Form):
    """Narrows the champions offered on a cohort's page (sent by GET, and again hidden in the add form)."""

    text = forms.CharField(required=False, max_length=100, label="Name or organisation", help_text="All or part of it.")
    area = forms.ModelChoiceField(
        queryset=CouncilArea.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="Any area",
        label="Council area",
    )

    def values(self) -> tuple[str, CouncilArea | None]:
        """The filter to apply: nothing is filtered by a value that is not valid."""
        if not self.is_bound or not self.is_valid():
            return "", None
        return self.cleaned_data["text"] or "", self.cleaned_data["area"]


class MembersAddForm(forms.Form):
    """Checkboxes for the champions the filter found (at most a page of them); any champion who can join is
    accepted, so a choice made before someone else changed the cohort is still checked against it as it is."""

    champions = forms.ModelMultipleChoiceField(
        queryset=Champion.objects.none(),
        label="Champions to add",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one champion to add."},
    )

    def __init__(self, *args: Any, cohort: Cohort, candidates: list[Champion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = cohort.memberships.filter(left_on__isnull=True).values("champion_id")
        field = self.fields["champions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Champion.objects.exclude(status="stepped_down").exclude(pk__in=current)
        # Only the shown page is drawn: the queryset above is for checking what was chosen (one query).
        field.widget.choices = [(champion.pk, _candidate_label(champion)) for champion in candidates]


def _candidate_label(champion: Champion) -> str:
    areas = ", ".join(area.name for area in champion.council_areas.all())
    parts = [champion.name, champion.job_title, champion.organisation_name, areas]
    return ", ".join(part for part in parts if part)


class SessionForm(NamedBlankChoices, forms.ModelForm):
    online_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Link to join online",
        help_text="The link to join, if the session is online.",
    )

    class Meta:
        model = Session
        fields = ["theme", "description", "starts_at", "ends_at", "online_url", "venue"]
        widgets = {
            "starts_at": datetime_widget(),
            "ends_at": datetime_widget(),
            "description": textarea(3),
            "venue": textarea(2),
        }
        labels = {"starts_at": "Starts", "ends_at": "Ends", "online_url": "Link to join online"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "Choose an end time later than the start.")
        if not data.get("online_url") and not (data.get("venue") or "").strip() and not self.errors:
            self.add_error("online_url", "Give a link to join online or a venue (or both).")
        return data


class AttendanceForm(forms.Form):
    """One radio group per champion: built from the session's attendance rows."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"c{row.champion.pk}"] = forms.ChoiceField(
                label=row.champion.name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=row.status or None,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.rows and not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(
                "Nothing was chosen, so nothing is saved. Choose present, sent apologies or absent for at least one "
                "champion, then save attendance."
            )
        return data

    def statuses(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items() if name.startswith("c") and value}


class SessionNoteForm(forms.Form):
    audience = forms.ChoiceField(choices=NoteAudience.choices, widget=forms.RadioSelect, label="Who is it for?")
    body = forms.CharField(label="Note", widget=textarea(5), max_length=10000, help_text="You can use Markdown.")


class SharedResourceForm(NamedBlankChoices, forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=textarea(2), max_length=2000)
    session = forms.ModelChoiceField(queryset=Session.objects.none(), required=False, label="For a session (optional)")
    training_resource = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label="A resource from the catalogue"
    )
    file = forms.FileField(required=False, label="Or a PDF", help_text="Up to 20 MB.")
    link = forms.URLField(required=False, label="Or a link", max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, cohort: Cohort, resource_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        session_field.queryset = cohort.sessions.order_by("starts_at")
        resource_field = self.fields["training_resource"]
        assert isinstance(resource_field, forms.TypedChoiceField)
        resource_field.choices = [("", "None"), *resource_choices]

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            uploads.check_pdf(upload, max_bytes=SHARED_FILE_MAX_BYTES, noun="file")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [bool(data.get("training_resource")), bool(data.get("file")), bool(data.get("link"))]
        if sum(given) != 1 and not self.errors:
            self.add_error("training_resource", "Choose one: a resource from the catalogue, a PDF or a link.")
        return data
