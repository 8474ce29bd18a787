"""Render Django form fields with the design system's classes and the ARIA links between hint, error and input."""

from django import template
from django.forms import BoundField

register = template.Library()

WIDGET_CLASSES = {
    "select": "ds_select",
    "selectmultiple": "ds_select",
    "textarea": "ds_input",
    "checkbox": "ds_checkbox__input",
    "clearablefile": "ds_file-upload__input",
    "file": "ds_file-upload__input",
}


@register.filter
def ds_widget(field: BoundField) -> str:
    widget_type = field.widget_type
    css = WIDGET_CLASSES.get(widget_type, "ds_input")
    if field.errors and css == "ds_input":
        css += " ds_input--error"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": css}
    # No maxlength: the browser would cut long text off without a word. The server refuses it with a clear message
    # and keeps what the person wrote, so they can shorten it themselves.
    field.field.widget.attrs.pop("maxlength", None)
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


GROUPED_WIDGETS = {"radioselect", "checkboxselectmultiple"}


@register.filter
def error_target(field: BoundField) -> str:
    """The id an error-summary link moves focus to: the input itself, or a group's first option."""
    if field.widget_type in GROUPED_WIDGETS:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def kind_error(error: str, field: BoundField) -> str:
    """Django's bare "This field is required." says nothing about which question; name it instead."""
    if str(error) == "This field is required.":
        if field.widget_type in GROUPED_WIDGETS | {"select", "checkbox"}:
            return f"Please choose an answer for \u201c{field.label}\u201d."
        return f"Please fill in \u201c{field.label}\u201d."
    return str(error)
