"""IS admins: the network dashboard and the training totals page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from champions.caching import NETWORK
from champions.forms.ops import TotalsFilterForm
from champions.permissions import can_read_support_logs
from champions.selectors import dashboard, totals
from champions.views._base import ManagePage
from portal.cache import cached
from portal.charts import BarChart, bar_chart
from portal.http import AuthenticatedHttpRequest


def level_chart(levels: list[dashboard.LevelTotal], *, html_id: str) -> BarChart | None:
    return bar_chart(
        [(level.name, level.name.removeprefix("Trauma "), level.sessions) for level in levels],
        html_id=html_id,
        title="training sessions delivered locally, by practice level",
        caption="Training sessions recorded by champions and the Improvement Service, by practice level.",
        label_heading="Practice level",
        value_heading="Sessions",
        height=220,
    )


def shared_html(name: str, template: str, context: dict[str, object]) -> SafeString:
    """A section of the dashboard that is the same for every IS admin (the coverage grids and tables, some ninety
    places each with a link; attendance by cohort; the training chart): the costliest parts of the page to draw, so
    drawn once per version of the data (champions.caching.NETWORK and the reference data) and kept."""
    html = cached(
        (NETWORK, "reference"), f"champions-dashboard-{name}", lambda: str(render_to_string(template, context))
    )
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, which escaped every value


class DashboardView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        figures = dashboard.network_figures()
        show_support = can_read_support_logs(request.user)
        return render(
            request,
            "champions/manage/dashboard.html",
            {
                "coverage_html": shared_html(
                    "coverage", "champions/manage/_coverage.html", {"coverage": figures.coverage}
                ),
                "upcoming": figures.upcoming,
                # Confidential: read afresh for each IS admin, never cached.
                "overdue": dashboard.overdue_follow_ups() if show_support else None,
                "attendance_training_html": shared_html(
                    "attendance-training",
                    "champions/manage/_attendance_training.html",
                    {
                        "cohorts": figures.cohorts,
                        "chart": level_chart(figures.levels, html_id="training-by-level"),
                    },
                ),
            },
        )


class TrainingTotalsView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = TotalsFilterForm(request.GET)
        filters = form.filters()
        result = totals.training_totals(**filters)
        return render(
            request,
            "champions/manage/training_totals.html",
            {
                "filter_form": form,
                "totals": result,
                "period": filters["period"],
                "query": request.GET.urlencode(),
                "chart": level_chart(result.by_level, html_id="totals-by-level"),
            },
        )
