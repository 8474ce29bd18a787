"""Each cohort's private group in the community: its members are the cohort's champions with a linked account who
have not stepped down. Champions does not import the community: it sends portal.services.private_group_sync with
the whole list, and the community's receiver makes the group match it. Called by every service that changes who
that is (cohort members joining or leaving, a champion linking their account, a change of status)."""

from __future__ import annotations

from collections.abc import Iterable

from champions.models import Champion, ChampionStatus, Cohort, CohortMembership
from portal.services import private_group_paths, private_group_sync


def cohort_group_key(cohort_id: int) -> str:
    return f"champions-cohort:{cohort_id}"


def cohort_group_sync(*, cohort: Cohort) -> None:
    """Tell the community who belongs in the cohort's private group (call inside the change's transaction)."""
    user_ids = sorted(
        uid
        for uid in CohortMembership.objects.filter(cohort=cohort, left_on__isnull=True, champion__user__isnull=False)
        .exclude(champion__status=ChampionStatus.STEPPED_DOWN)
        .values_list("champion__user_id", flat=True)
        if uid is not None
    )
    private_group_sync.send(
        sender=Cohort,
        key=cohort_group_key(cohort.pk),
        name=f"Trauma champions: {cohort.name}",
        # The cohort's name often says "Cohort" already ("Cohort 3 (2026 to 2027)"): it is not said twice.
        description=f"A private space for the champions in {cohort.name}, part of the action learning programme.",
        user_ids=user_ids,
    )


def champion_groups_sync(*, champion: Champion) -> None:
    """After a change to the champion (linked, stepped down, back): every cohort they have been in."""
    for cohort in Cohort.objects.filter(memberships__champion=champion).distinct():
        cohort_group_sync(cohort=cohort)


def cohort_group_paths(cohort_ids: Iterable[int]) -> dict[int, str]:
    """The community page of each cohort's group, by cohort id (one query)."""
    ids = list(cohort_ids)
    paths = private_group_paths(keys=[cohort_group_key(pk) for pk in ids])
    return {pk: paths[cohort_group_key(pk)] for pk in ids if cohort_group_key(pk) in paths}
