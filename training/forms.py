from django import forms

from training.services import FEEDBACK_COMMENT_MAX

YES_NO = [("yes", "Yes"), ("no", "No")]


class FeedbackForm(forms.Form):
    """'Was this useful?' on every resource. No account needed."""

    useful = forms.ChoiceField(
        label="Was this useful?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no to tell us if this was useful."},
    )
    comment = forms.CharField(
        label="Anything you would like to tell us? (optional)",
        help_text=f"Up to {FEEDBACK_COMMENT_MAX} characters. Please do not include personal details. Only the "
        "portal's content editors read comments; they are never shown on the site.",
        required=False,
        max_length=FEEDBACK_COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"Your comment is a little long: please keep it to {FEEDBACK_COMMENT_MAX} characters "
            "or fewer (it has %(show_value)d)."
        },
    )


class LevelFinderForm(forms.Form):
    """'Which level is right for me?': four plain questions about a person's role and contact with people
    affected by trauma. The answers are not stored."""

    contact = forms.ChoiceField(
        label="In your work, how often do you meet members of the public, patients, pupils or service users?",
        choices=[
            ("rarely", "Rarely or never"),
            ("sometimes", "Sometimes"),
            ("often", "Often, it is a big part of my work"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often you meet people in your work."},
    )
    known = forms.ChoiceField(
        label="Do you usually know that the people you work with have been affected by trauma?",
        help_text="For example, because supporting people after trauma is why they come to your service.",
        choices=[("no", "No, or not usually"), ("sometimes", "Sometimes"), ("yes", "Yes, usually")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you usually know people have been affected by trauma."},
    )
    remit = forms.ChoiceField(
        label="Does your role include supporting, advocating for or working over time with people affected by "
        "trauma, or managing a service that does?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no for supporting people affected by trauma."},
    )
    specialist = forms.ChoiceField(
        label="Do you provide specialist psychological assessment or therapy, for example as a clinical psychologist?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no for specialist psychological therapy."},
    )

    def recommended_slug(self) -> str:
        """The practice level that fits, by slug. Call after is_valid()."""
        data = self.cleaned_data
        if data["specialist"] == "yes":
            return "trauma-specialist"
        if data["remit"] == "yes" or data["known"] == "yes":
            return "trauma-enhanced"
        if data["contact"] != "rarely" or data["known"] == "sometimes":
            return "trauma-skilled"
        return "trauma-informed"


class LevelInterestForm(forms.Form):
    wanted = forms.BooleanField(
        label="Email me when a new resource is added at this level",
        required=False,
        help_text="You can change this here at any time, or on your notification settings page.",
    )
