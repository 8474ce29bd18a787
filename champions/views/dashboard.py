"""IS admins: the network dashboard and the training totals page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from champions.forms.ops import TotalsFilterForm
from champions.permissions import can_read_support_logs
from champions.selectors import dashboard, totals
from champions.views._base import ManagePage
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


class DashboardView(ManagePage):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        levels = dashboard.training_by_level()
        show_support = can_read_support_logs(request.user)
        return render(
            request,
            "champions/manage/dashboard.html",
            {
                "coverage": dashboard.network_coverage(),
                "upcoming": dashboard.upcoming_sessions(),
                "overdue": dashboard.overdue_follow_ups() if show_support else None,
                "cohorts": dashboard.attendance_by_cohort(),
                "levels": levels,
                "chart": level_chart(levels, html_id="training-by-level"),
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
