"""The portal's form renderer: design-system markup, kind messages, links that reach the question."""

from django import forms


class ExampleForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=20)
    level = forms.ChoiceField(label="Practice level", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    comment = forms.CharField(label="Comment", max_length=10, widget=forms.Textarea, required=False)


def test_error_summary_links_reach_the_first_option_of_a_group():
    html = str(ExampleForm(data={}))
    assert 'href="#id_name"' in html
    assert 'href="#id_level_0"' in html and 'id="id_level_0"' in html


def test_required_messages_name_the_question():
    html = str(ExampleForm(data={}))
    assert "This field is required." not in html
    assert "Please fill in \u201cYour name\u201d." in html
    assert "Please choose an answer for \u201cPractice level\u201d." in html


def test_no_maxlength_so_long_text_is_never_cut_off_silently():
    form = ExampleForm(data={"name": "x" * 30, "level": "a", "comment": "y" * 15})
    html = str(form)
    assert "maxlength" not in html
    assert "x" * 30 in html and "y" * 15 in html  # what they wrote comes back to be shortened
    assert "Ensure this value has at most 20 characters" in html
