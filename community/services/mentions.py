"""@mentions: members type @handle; on save each handle of a member who may be mentioned becomes a plain link to
their page, and a Mention row says who was mentioned (for notifications). Nobody is mentioned by someone they
blocked: the text stays as typed, with no link and no Mention."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.urls import reverse

from community.models import CommunityProfile
from community.selectors.members import blockers_among, profiles_by_handles

if TYPE_CHECKING:
    from portal.models import User

MAX_MENTIONS = 10
HANDLE = re.compile(r"(?<![\w@/\[`])@([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?![\w-])", re.IGNORECASE)
# Fenced blocks (``` or ~~~, as Markdown's fenced_code reads them) and inline code are left exactly as typed.
_CODE = re.compile(r"(^(~{3,})[^\n]*\n.*?^\2[ ]*$|```.*?```|`[^`\n]*`)", re.DOTALL | re.MULTILINE)


def _prose_parts(text: str) -> list[tuple[bool, str]]:
    """The text cut into (is_prose, piece), code pieces marked so nothing inside them is linked."""
    parts: list[tuple[bool, str]] = []
    last = 0
    for match in _CODE.finditer(text):
        parts.append((True, text[last : match.start()]))
        parts.append((False, match.group(0)))
        last = match.end()
    parts.append((True, text[last:]))
    return parts


def handles_in(text: str) -> list[str]:
    """The handles mentioned, lower case, in order, each once, at most MAX_MENTIONS."""
    seen: list[str] = []
    for is_prose, piece in _prose_parts(text):
        if not is_prose:
            continue
        for match in HANDLE.finditer(piece):
            handle = match.group(1).lower()
            if handle not in seen:
                seen.append(handle)
    return seen[:MAX_MENTIONS]


def link_mentions(text: str, *, author: User | None) -> tuple[str, list[CommunityProfile]]:
    """The Markdown with each mentionable @handle turned into a link to the member, and the members mentioned (not
    the author, and not anyone who blocked the author). Two queries at most, whatever the number of handles."""
    profiles = profiles_by_handles(set(handles_in(text)))
    if author is not None:
        blockers = blockers_among(user_ids={p.user_id for p in profiles.values()}, author_id=author.pk)
        profiles = {h: p for h, p in profiles.items() if p.user_id not in blockers}
    if not profiles:
        return text, []

    def link(match: re.Match[str]) -> str:
        profile = profiles.get(match.group(1).lower())
        if profile is None:
            return match.group(0)
        return f"[@{profile.handle}]({reverse('community:member-detail', args=[profile.pk])})"

    linked = "".join(HANDLE.sub(link, piece) if is_prose else piece for is_prose, piece in _prose_parts(text))
    mentioned = [p for p in profiles.values() if author is None or p.user_id != author.pk]
    return linked, mentioned
