"""The staff area's list of tools, declared where each tool lives. Apps register theirs in their AppConfig.ready(),
naming the permission predicate from their own permissions.py, so /staff/ shows a person exactly the tools their
groups open and the rule is written once."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class StaffTool:
    """`url_name` is reversed without arguments; `allowed(user)` is the tool's own permission predicate."""

    url_name: str
    title: str
    description: str
    allowed: Callable[[Any], bool]

    def url(self) -> str:
        return reverse(self.url_name)


_TOOLS: dict[str, StaffTool] = {}


def register(tool: StaffTool) -> StaffTool:
    existing = _TOOLS.get(tool.url_name)
    if existing is not None and existing != tool:
        raise ValueError(f"A staff tool for {tool.url_name!r} is already registered differently.")
    _TOOLS[tool.url_name] = tool
    return tool


def tools_for(user: Any) -> list[StaffTool]:
    """The tools this person may use, in the order they were registered (INSTALLED_APPS order)."""
    return [tool for tool in _TOOLS.values() if tool.allowed(user)]
