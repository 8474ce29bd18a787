"""Markdown for authored content, always sanitised: Markdown to HTML, then nh3 keeps a safe list of tags."""

from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def render_markdown(text: str) -> SafeString:
    return _render(text or "")


# A page shows the same authored text to everyone (a step's body, a resource's description), and converting it
# costs more than the rest of the page: each process keeps its last conversions. The output depends on the text alone.
@lru_cache(maxsize=512)
def _render(text: str) -> SafeString:
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


# Links in what members write (forum posts): search engines are told not to vouch for them (nofollow, ugc), and the
# page they open cannot reach back into the portal's window (noopener).
MEMBER_LINK_REL = "nofollow ugc noopener"


def render_member_markdown(text: str) -> SafeString:
    """Markdown written by members, sanitised like `render_markdown`, with every link marked as theirs. Call it once
    when the text is saved and store the result: it is not cached here."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=MEMBER_LINK_REL,
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
