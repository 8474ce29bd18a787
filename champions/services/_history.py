"""simple-history reads `_change_reason` and `_history_user` off an instance when its next save() writes the history
record. They are neither fields nor declared on the models, so these helpers set them, typed, in one place."""

from __future__ import annotations

from django.db.models import Model

from portal.models import User


def set_change_reason(instance: Model, reason: str) -> None:
    setattr(instance, "_change_reason", reason)  # noqa: B010 (not a declared attribute: see above)


def set_history_user(instance: Model, user: User | None) -> None:
    setattr(instance, "_history_user", user)  # noqa: B010 (not a declared attribute: see above)
