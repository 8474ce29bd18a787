"""The admin's file field, linking to where the portal serves a file rather than to MEDIA_URL.

Production serves nothing from /media/: every uploaded file goes out through a view that checks who may see it
(training's resource-document and resource-image, the pledge logo views). Django's "Currently: <file>" link would
point at /media/ and answer "not found", so this widget asks the model admin for the serving view's address.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.widgets import AdminFileWidget
from django.db.models.fields.files import FieldFile


@dataclass(frozen=True)
class ServedFile:
    """What the widget's template reads: `url` for the link, and the stored name as its text."""

    name: str
    url: str

    def __str__(self) -> str:
        return self.name


class ServedFileWidget(AdminFileWidget):
    """`url_for(instance, field_name)` gives the serving view's address for the saved file of `instance`."""

    def __init__(self, *, url_for: Callable[[Any, str], str], attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.url_for = url_for

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and isinstance(value, FieldFile):
            context["widget"]["value"] = ServedFile(
                name=value.name or "", url=self.url_for(value.instance, value.field.name)
            )
        return context
