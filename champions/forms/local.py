from typing import Any

from django import forms

from champions.forms._widgets import NamedBlankChoices, date_widget, textarea
from champions.models import Champion, ImprovementPlan, PlanRating, TrainingDelivery
from portal import uploads
from portal.models import CouncilArea, PracticeLevel, ServiceArea

PLAN_MAX_BYTES = 20 * 1024 * 1024


class PlanForm(NamedBlankChoices, forms.ModelForm):
    link = forms.URLField(required=False, max_length=500, assume_scheme="https", label="Or a link to the plan")

    class Meta:
        model = ImprovementPlan
        fields = ["council_area", "title", "starts_on", "ends_on", "document", "link", "priorities"]
        widgets = {"starts_on": date_widget(), "ends_on": date_widget(), "priorities": textarea(5)}
        labels = {"document": "The plan as a PDF (optional if you give a link)", "link": "Or a link to the plan"}

    def __init__(self, *args: Any, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council_area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = areas if areas is not None else CouncilArea.objects.active()

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            uploads.check_pdf(upload, max_bytes=PLAN_MAX_BYTES, noun="plan")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("document") and not data.get("link") and not self.errors:
            self.add_error("document", "Attach the plan as a PDF or give a link to it.")
        return data


class RatingForm(NamedBlankChoices, forms.ModelForm):
    class Meta:
        model = PlanRating
        fields = ["rating", "comment"]
        widgets = {"rating": forms.RadioSelect, "comment": textarea(3)}
        labels = {"rating": "How far has the plan come?", "comment": "What is behind this rating? (optional)"}


class TrainingDeliveryForm(NamedBlankChoices, forms.ModelForm):
    service_areas = forms.ModelMultipleChoiceField(
        queryset=ServiceArea.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Attendees' areas of work",
    )

    class Meta:
        model = TrainingDelivery
        fields = [
            "champion",
            "council_area",
            "delivered_on",
            "training_type",
            "title",
            "practice_level",
            "delivered_by",
            "location",
            "duration_minutes",
            "attendee_count",
            "service_areas",
        ]
        widgets = {"delivered_on": date_widget()}
        labels = {
            "delivered_on": "Date",
            "duration_minutes": "How long, in minutes",
            "attendee_count": "How many attended",
            "council_area": "Council area",
        }

    def __init__(self, *args: Any, for_champion: Champion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = self.fields["practice_level"]
        assert isinstance(level, forms.ModelChoiceField)
        level.queryset = PracticeLevel.objects.active()
        area = self.fields["council_area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = CouncilArea.objects.active()
        if for_champion is not None:
            del self.fields["champion"]  # a champion records their own training
        else:
            champion = self.fields["champion"]
            assert isinstance(champion, forms.ModelChoiceField)
            champion.queryset = Champion.objects.order_by("name")
