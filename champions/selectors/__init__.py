"""Reads for the champions network, split by job. Each selector owns its select_related / prefetch_related, so a
page's query count does not grow with its rows."""

from champions.selectors.local import (
    plan_detail,
    plan_for_champion,
    plan_list,
    plans_for_champion,
    training_delivery_detail,
    training_delivery_for_champion,
    training_list,
)
from champions.selectors.paging import Page, keyset_page
from champions.selectors.people import (
    champion_detail,
    champion_for_account,
    champion_history,
    champion_list,
    champion_own,
    champions_for_choice,
)
from champions.selectors.programme import (
    AttendanceRow,
    ChampionSpace,
    champion_calendar,
    champion_space,
    cohort_candidates,
    cohort_detail,
    cohort_list,
    session_attendance,
    session_detail,
    session_for_champion,
    shared_resource_detail,
    shared_resource_for_champion,
)
from champions.selectors.public import PublicChampion, find_champions, find_choices
from champions.selectors.support import support_access_page, support_log_detail, support_logs_for_champion

__all__ = [
    "AttendanceRow",
    "ChampionSpace",
    "Page",
    "PublicChampion",
    "champion_calendar",
    "champion_detail",
    "champion_for_account",
    "champion_history",
    "champion_list",
    "champion_own",
    "champion_space",
    "champions_for_choice",
    "cohort_candidates",
    "cohort_detail",
    "cohort_list",
    "find_champions",
    "find_choices",
    "keyset_page",
    "plan_detail",
    "plan_for_champion",
    "plan_list",
    "plans_for_champion",
    "session_attendance",
    "session_detail",
    "session_for_champion",
    "shared_resource_detail",
    "shared_resource_for_champion",
    "support_access_page",
    "support_log_detail",
    "support_logs_for_champion",
    "training_delivery_detail",
    "training_delivery_for_champion",
    "training_list",
]
