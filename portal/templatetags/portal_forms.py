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
    attrs = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
