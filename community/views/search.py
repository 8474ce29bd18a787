"""Searching the forum: words, filters, and a page of highlighted hits the reader may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from community import permissions
from community.forms import SearchForm
from community.selectors import search as search_selectors
from community.views.forum import _shell


class SearchView(View):
    """GET only: a search changes nothing. Signed out, each query string is cached whole until the forum changes
    (community/urls.py)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        categories = [c for c in search_selectors.search_categories(None) if permissions.can_read_category(user, c)]
        readable = None if permissions.can_moderate(user) else [c.pk for c in categories]
        form = SearchForm(request.GET or None, categories=categories)
        results = None
        query = ""
        if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
            data = form.cleaned_data
            query = data["q"].strip()
            chosen: set[int] | None = None
            if data["category"] is not None:
                chosen = {data["category"]}
            if data["group"] is not None:
                in_group = {c.pk for c in categories if c.group_id == data["group"]}
                chosen = in_group if chosen is None else chosen & in_group
            filters = search_selectors.SearchFilters(
                text=query,
                category_ids=frozenset(chosen) if chosen is not None else None,
                author_id=form.author_id,
                since=data["since"],
                until=data["until"],
            )
            results = search_selectors.search_posts(filters, readable=readable, page=_page(request))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            **_shell(request),
            "form": form,
            "query": query,
            "results": results,
            "base_query": params.urlencode(),
            "filtered": any(form.data.get(name) for name in ("category", "group", "author", "since", "until")),
        }
        return render(request, "community/search.html", context)


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= search_selectors.MAX_PAGES else 1
