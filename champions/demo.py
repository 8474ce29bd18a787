"""Demo champions network: about 40 fictional champions across most council areas (with gaps, so coverage has
something to show), three cohorts with past and upcoming sessions and attendance, notes and shared links, a few
confidential one-to-one records, plans with ratings and training delivered. The demo champion account
(champion@example.org, made by portal/demo.py) is linked to a champion in the current cohort.

Idempotent: champions are keyed on their email, cohorts on their name, everything else is added only to a cohort or
champion made in this run. No email is sent."""

import datetime
import random

from django.utils import timezone

from champions.models import (
    AgreedAction,
    Attendance,
    AttendanceStatus,
    Champion,
    ChampionStatus,
    Cohort,
    CohortMembership,
    ImprovementPlan,
    NoteAudience,
    OrganisationType,
    PlanRating,
    Progress,
    Session,
    SessionNote,
    SharedResource,
    SupportLog,
    TrainingDelivery,
    TrainingType,
)
from champions.services.cohort_groups import cohort_group_sync
from champions.services.people import _save_with_areas
from portal.markdown import render_markdown
from portal.models import CouncilArea, PracticeLevel, ServiceArea, User

DEMO_CHAMPION_EMAIL = "champion@example.org"
# Areas left without a champion, so the coverage has gaps to show.
GAPS = {"orkney-islands", "shetland-islands", "na-h-eileanan-siar", "inverclyde", "clackmannanshire", "moray"}
FIRST = ["Aileen", "Calum", "Morag", "Iain", "Fiona", "Ruaridh", "Kirsty", "Hamish", "Shona", "Euan", "Catriona",
         "Fraser", "Mhairi", "Angus", "Isla", "Niall", "Eilidh", "Lachlan", "Rhona", "Duncan"]  # fmt: skip
LAST = ["MacLeod", "Campbell", "Stewart", "Robertson", "Fraser", "Murray", "MacDonald", "Reid", "Ross", "Grant"]
ROLES = [
    ("Head of Children's Services", OrganisationType.LOCAL_AUTHORITY, "{area} Council"),
    ("Chief Social Work Officer", OrganisationType.LOCAL_AUTHORITY, "{area} Council"),
    ("Director of Public Health", OrganisationType.NHS_BOARD, "NHS {board}"),
    ("Chief Officer", OrganisationType.HSCP, "{area} Health and Social Care Partnership"),
    ("Head of Housing", OrganisationType.LOCAL_AUTHORITY, "{area} Council"),
    ("Local Area Commander", OrganisationType.POLICE, "Police Scotland"),
]
COHORTS = [
    ("Cohort 1 (2024)", datetime.date(2024, 2, 1), datetime.date(2024, 11, 30)),
    ("Cohort 2 (2025)", datetime.date(2025, 2, 1), datetime.date(2025, 11, 30)),
    ("Cohort 3 (2026 to 2027)", datetime.date(2026, 9, 1), datetime.date(2027, 6, 30)),
]
THEMES = [
    "Getting started: what trauma-informed leadership asks of us",
    "Listening to lived experience",
    "Looking after staff who hear about trauma",
    "Reviewing letters and policies",
    "Measuring what changes",
    "Sharing what worked",
]


def _champions(rng: random.Random, admin: User | None) -> list[Champion]:
    made = []
    areas = [
        area for area in CouncilArea.objects.prefetch_related("health_boards", "partnerships") if area.slug not in GAPS
    ]
    n = 0
    for area in areas:
        for _ in range(1 if n % 3 else 2):
            if n >= 40:
                break
            first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
            role, kind, org = ROLES[n % len(ROLES)]
            board = area.health_boards.all()[0] if area.health_boards.all() else None
            hscp = area.partnerships.all()[0] if area.partnerships.all() else None
            email = f"champion{n + 1}@{area.slug}.example.org"
            champion = Champion.objects.filter(email=email).first()
            if champion is None:
                status = ChampionStatus.ACTIVE
                if n % 13 == 5:
                    status = ChampionStatus.ON_LEAVE
                elif n % 17 == 8:
                    status = ChampionStatus.STEPPED_DOWN
                champion = Champion(
                    name=f"{first} {last}",
                    job_title=role,
                    email=email,
                    phone=f"0131 496 {n:04d}",
                    # Board names already begin "NHS" ("NHS Fife"): the organisation is the board itself.
                    organisation_name=org.format(area=area.name, board=board.name if board else area.name).replace(
                        "NHS NHS ", "NHS "
                    ),
                    organisation_type=kind,
                    health_board=board,
                    partnership=hscp,
                    date_joined=datetime.date(2021 + n % 4, 1 + n % 12, 1),
                    status=status,
                    status_since=datetime.date(2025, 6, 1)
                    if status != ChampionStatus.ACTIVE
                    else datetime.date(2024, 1, 1),
                    stepped_down_on=datetime.date(2025, 6, 1) if status == ChampionStatus.STEPPED_DOWN else None,
                    public_listed=status == ChampionStatus.ACTIVE and n % 4 != 3,
                    public_email=f"trauma.lead{n + 1}@{area.slug}.example.org" if n % 4 != 3 else "",
                    public_statement="Happy to talk about trauma training for your team." if n % 2 else "",
                    local_contacts="Workforce development team",
                )
                champion._history_user = admin  # type: ignore[attr-defined]
                champion._change_reason = "Added (demo)"  # type: ignore[attr-defined]
                _save_with_areas(champion, [area])  # one history entry, as the services write it
            made.append(champion)
            n += 1
    return made


def _programme(rng: random.Random, champions: list[Champion], admin: User | None) -> list[Cohort]:
    now = timezone.now()
    active = [c for c in champions if c.status != ChampionStatus.STEPPED_DOWN]
    cohorts = []
    for index, (name, starts, ends) in enumerate(COHORTS):
        cohort, created = Cohort.objects.get_or_create(
            name=name,
            defaults={
                "starts_on": starts,
                "ends_on": ends,
                "description": "An action learning set: champions bring a real challenge and work on it together.",
            },
        )
        cohorts.append(cohort)
        if not created:
            continue
        if admin:
            cohort.facilitators.set([admin])
        members = champions[index * 13 : index * 13 + 13] if index < 2 else [c for c in champions[26:] if c in active]
        for champion in members:
            CohortMembership.objects.get_or_create(cohort=cohort, champion=champion, defaults={"joined_on": starts})
        # Past cohorts: six sessions a month apart; the current one: two past, four to come.
        first = (
            timezone.make_aware(datetime.datetime.combine(starts, datetime.time(10, 0)))
            if index < 2
            else now - datetime.timedelta(days=45)
        )
        for number, theme in enumerate(THEMES):
            starts_at = (first + datetime.timedelta(days=30 * number)).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            session = Session.objects.create(
                cohort=cohort,
                theme=theme,
                description="Bring one example from your own organisation.",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                online_url="https://meet.example.org/champions" if number % 2 == 0 else "",
                venue="" if number % 2 == 0 else "Improvement Service, iHub, Quarrywood Court, Livingston EH54 6AX",
            )
            if session.ends_at < now:
                Attendance.objects.bulk_create(
                    [
                        Attendance(
                            session=session,
                            champion=champion,
                            status=rng.choices(
                                [AttendanceStatus.PRESENT, AttendanceStatus.APOLOGIES, AttendanceStatus.ABSENT],
                                weights=[7, 2, 1],
                            )[0],
                            recorded_by=admin,
                        )
                        for champion in members
                    ]
                )
                body = "We talked about where each of us is starting from.\n\n- Keep a note of one change you try."
                SessionNote.objects.create(
                    session=session,
                    audience=NoteAudience.COHORT,
                    body=body,
                    body_html=str(render_markdown(body)),
                    author=admin,
                )
        SharedResource.objects.create(
            cohort=cohort,
            title="Trauma-informed organisational roadmap",
            description="The self-assessment we will use in the next session.",
            link="https://www.example.org/roadmap",
            shared_by=admin,
        )
    return cohorts


def _support(champions: list[Champion], admin: User | None) -> None:
    today = timezone.localdate()
    for number, champion in enumerate(champions[:5]):
        if champion.support_logs.exists():
            continue
        log = SupportLog.objects.create(
            champion=champion,
            met_on=today - datetime.timedelta(days=20 + number * 9),
            is_person=admin,
            topics="Getting senior colleagues on board; planning training for managers.",
            notes="Feeling stretched; agreed to start small with one service.",
            # Two follow-ups overdue, so the dashboard has something to show.
            follow_up_on=today + datetime.timedelta(days=(number - 2) * 7),
            created_by=admin,
        )
        AgreedAction.objects.create(log=log, owner="champion", text="Share the roadmap with the leadership team.")
        AgreedAction.objects.create(
            log=log, owner="improvement_service", text="Send examples of trauma-informed letters."
        )


def _local(rng: random.Random, champions: list[Champion], admin: User | None) -> None:
    levels = list(PracticeLevel.objects.all()[:3])
    service_areas = list(ServiceArea.objects.all())
    for champion in champions[:12]:
        area = champion.council_areas.first()
        if area is None or ImprovementPlan.objects.filter(council_area=area).exists():
            continue
        plan = ImprovementPlan.objects.create(
            council_area=area,
            title=f"{area.name} trauma-informed improvement plan",
            starts_on=datetime.date(2025, 4, 1),
            ends_on=datetime.date(2027, 3, 31),
            link="https://www.example.org/plans/" + area.slug,
            priorities="Train every manager to the skilled level\nReview our letters with people who use services",
            created_by=admin,
        )
        for months, rating in ((12, Progress.EARLY), (6, Progress.UNDER_WAY)):
            PlanRating.objects.create(
                plan=plan,
                rated_on=timezone.localdate() - datetime.timedelta(days=30 * months),
                rating=rating,
                rated_by=admin,
            )
    if not levels or TrainingDelivery.objects.exists():
        return
    for number, champion in enumerate(champions[:20]):
        delivery = TrainingDelivery.objects.create(
            champion=champion,
            council_area=champion.council_areas.first(),
            delivered_on=timezone.localdate() - datetime.timedelta(days=10 * number + 3),
            training_type=list(TrainingType)[number % len(TrainingType)],
            title="Opening Doors" if number % 2 else "Developing your trauma skilled practice",
            practice_level=levels[number % len(levels)],
            delivered_by=champion.name,
            location="Online" if number % 3 == 0 else "Council offices",
            duration_minutes=90 + 30 * (number % 3),
            attendee_count=8 + rng.randint(0, 30),
            recorded_by=admin,
        )
        delivery.service_areas.set(rng.sample(service_areas, k=min(2, len(service_areas))))


def seed(*, stdout, show_passwords: bool) -> None:
    rng = random.Random(10)  # noqa: S311 (made-up demo data, not a secret)
    admin = User.objects.filter(email="admin@example.org").first()
    champions = _champions(rng, admin)
    cohorts = _programme(rng, champions, admin)
    _support(champions, admin)
    _local(rng, champions, admin)
    demo_user = User.objects.filter(email=DEMO_CHAMPION_EMAIL).first()
    current = cohorts[-1]
    if demo_user is not None and not Champion.objects.filter(user=demo_user).exists():
        member = (
            Champion.objects.filter(memberships__cohort=current, user__isnull=True, status=ChampionStatus.ACTIVE)
            .order_by("name")
            .first()
        )
        if member is not None:
            member.user = demo_user
            member.invitation_accepted_at = timezone.now()
            member._change_reason = "Linked to the demo account"  # type: ignore[attr-defined]
            member.save()
    # Each cohort's private community group, as the services keep it when members join or link their accounts
    # (this seed writes the records directly, so it tells the community itself; safe to run again).
    for cohort in cohorts:
        cohort_group_sync(cohort=cohort)
    stdout.write(f"Demo champions network: {Champion.objects.count()} champions, {Cohort.objects.count()} cohorts.")
