"""Scale data for the champions network (portal's seed_scale command): many champions over every council area, in
cohorts of 25 with fortnightly sessions, and attendance rows for the sessions already held. For the query-count
and benchmark figures the issue asks for (10 to 1,000 champions, 10,000 attendance rows).

Rows it made are found again by their email ("scale-...") and cohort names ("Scale cohort ..."), and replaced."""

import random
from datetime import timedelta

from django.utils import timezone

from champions.models import Attendance, AttendanceStatus, Champion, Cohort, CohortMembership, Session
from portal.models import CouncilArea

BATCH = 1000
COHORT_SIZE = 25


def add_arguments(parser) -> None:
    parser.add_argument("--champions", type=int, default=0, help="champions to add, in cohorts of 25")
    parser.add_argument("--attendance", type=int, default=0, help="about how many attendance rows to add")


def seed(*, options: dict, stdout) -> None:
    count, wanted_attendance = options["champions"], options["attendance"]
    Cohort.objects.filter(name__startswith="Scale cohort").delete()
    Champion.objects.filter(email__startswith="scale-").delete()
    Champion.history.filter(email__startswith="scale-").delete()  # the deletions' own history rows too
    if not count:
        return
    rng = random.Random(2026)  # noqa: S311 - fictional data, the same every run so figures compare
    areas = list(CouncilArea.objects.prefetch_related("health_boards", "partnerships"))
    today = timezone.localdate()
    champions = []
    for n in range(count):
        area = areas[n % len(areas)]
        boards, partnerships = list(area.health_boards.all()), list(area.partnerships.all())
        champions.append(
            Champion(
                name=f"Scale Champion {n:05d}",
                job_title="Head of Service",
                email=f"scale-{n}@champions.example.org",
                organisation_name=f"{area.name} Council",
                organisation_type="local_authority",
                health_board=boards[0] if boards else None,
                partnership=partnerships[0] if partnerships else None,
                date_joined=today - timedelta(days=rng.randint(30, 1500)),
                status=rng.choices(["active", "on_leave", "stepped_down"], weights=[85, 10, 5])[0],
                public_listed=n % 3 != 0,
                public_email=f"lead{n}@champions.example.org" if n % 3 != 0 else "",
            )
        )
    Champion.objects.bulk_create(champions, batch_size=BATCH)
    made = list(Champion.objects.filter(email__startswith="scale-").order_by("pk"))
    Champion.council_areas.through.objects.bulk_create(
        [
            Champion.council_areas.through(champion_id=c.pk, councilarea_id=areas[i % len(areas)].pk)
            for i, c in enumerate(made)
        ],
        batch_size=BATCH,
    )
    groups = [made[i : i + COHORT_SIZE] for i in range(0, len(made), COHORT_SIZE)]
    sessions_each = max(1, -(-wanted_attendance // max(len(made), 1)))  # enough sessions for the attendance asked
    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) - timedelta(days=14 * sessions_each)
    attendance: list[Attendance] = []
    for number, members in enumerate(groups):
        cohort = Cohort.objects.create(name=f"Scale cohort {number:04d}", starts_on=start.date())
        CohortMembership.objects.bulk_create(
            [CohortMembership(cohort=cohort, champion=c, joined_on=start.date()) for c in members]
        )
        sessions = Session.objects.bulk_create(
            [
                Session(
                    cohort=cohort,
                    theme=f"Session {k + 1}",
                    starts_at=start + timedelta(days=14 * k),
                    ends_at=start + timedelta(days=14 * k, hours=2),
                    online_url="https://meet.example.org/scale",
                )
                for k in range(sessions_each + 2)  # two still to come
            ]
        )
        for session in sessions[:sessions_each]:
            statuses = rng.choices(list(AttendanceStatus), weights=[7, 2, 1], k=len(members))
            attendance.extend(
                Attendance(session=session, champion=c, status=s) for c, s in zip(members, statuses, strict=True)
            )
    Attendance.objects.bulk_create(attendance, batch_size=BATCH * 5)
    stdout.write(f"  champions: {len(made)} champions, {len(groups)} cohorts, {len(attendance)} attendance rows")
