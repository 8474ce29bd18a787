"""Learning pathways: an ordered set of resources, with where the person is on each."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from training.learning import records
from training.learning.views.links import sign_in_url


@require_safe
def pathway_list(request: HttpRequest) -> HttpResponse:
    return render(request, "training/pathway_list.html", {"pathways": records.pathway_list()})


@require_safe
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = records.pathway_get(slug=slug)
    progress = records.pathway_progress(pathway=pathway, user=request.user)
    return render(
        request,
        "training/pathway_detail.html",
        {"pathway": pathway, "progress": progress, "sign_in_url": sign_in_url(request)},
    )
