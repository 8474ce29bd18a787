"""Small template helpers for the training catalogue."""

from django import template

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """45 -> "45 minutes", 90 -> "1 hour 30 minutes", 120 -> "2 hours"."""
    if minutes is None:
        return ""
    minutes = int(minutes)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    text = f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{text} {rest} minute{'s' if rest != 1 else ''}" if rest else text
