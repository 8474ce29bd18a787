"""Forms for e-learning: knowledge checks, reflections, confidence, certificate names, learning done elsewhere and
the confirmations before deleting."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from training.models import Question

CONFIDENCE_CHOICES = [
    ("1", "1: not at all confident"),
    ("2", "2"),
    ("3", "3: somewhat confident"),
    ("4", "4"),
    ("5", "5: very confident"),
]


class CheckForm(forms.Form):
    """One radio question per knowledge-check question. Only that question's own options are accepted: any other
    id (another question's option, a made-up number) fails with a plain message and nothing is recorded."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            self.fields[f"question_{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=[(str(option.pk), option.text) for option in question.options.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose an answer to question {number}.",
                    "invalid_choice": f"Choose one of the answers shown for question {number}.",
                },
            )

    def answers(self) -> dict[int, int]:
        return {question.pk: self.cleaned_data[f"question_{question.pk}"] for question in self.questions}


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="Your thoughts",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Only you can see what you write here: nobody else, including the portal's staff. Writing something is "
            "optional. You can delete it at any time from My learning. Up to 5,000 characters."
        ),
        error_messages={"max_length": "Your reflection is too long: keep it to 5,000 characters or fewer."},
    )


class ConfidenceForm(forms.Form):
    """Every question is optional: whatever is given is stored, and a blank answer stays blank."""

    confidence_before = forms.TypedChoiceField(
        label="Before this module, how confident did you feel applying trauma-informed practice in your work? "
        "(optional)",
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    confidence_after = forms.TypedChoiceField(
        label="And now, after the module? (optional)",
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Anything you would like to tell us (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "This helps the people who write the training improve it. Your answers are counted together with "
            "everyone else's; the comment is read by the content team. Up to 1,000 characters."
        ),
        error_messages={"max_length": "Your comment is too long: keep it to 1,000 characters or fewer."},
    )


class CertificateNameForm(forms.Form):
    learner_name = forms.CharField(
        label="Your name as it should appear on the certificate",
        max_length=120,
        help_text="The certificate keeps its code, so any copy you have already shared still checks out.",
        error_messages={
            "required": "Enter your name as you would like it on the certificate.",
            "max_length": "Keep the name to 120 characters or fewer.",
        },
    )


class ExternalCompletionForm(forms.Form):
    completed_on = forms.DateField(
        label="When did you complete it?",
        # The field is a date picker (type=date): the browser shows the date in the person's own format and sends
        # it as 2025-03-27, so the hint describes the picker, not a format to type. The other input formats are for
        # a browser that shows a plain text box instead.
        help_text="The day you finished it. Type it in the date box or choose it from the calendar.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date you completed it.",
            "invalid": "Enter a real date, for example 2025-03-27.",
        },
    )

    def clean_completed_on(self) -> date:
        value: date = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return value


class DeleteConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Tick the box to confirm you want to delete this."},
    )
