"""Scale data for the register (portal's seed_scale command): many approved pledges over every council area."""

import random
from datetime import timedelta

from django.utils import timezone

from pledges.models import ACTION_LABELS, OrganisationType, Pledge, PledgeStatus, SizeBand
from pledges.selectors import REGISTER_CACHE
from portal.cache import bump
from portal.models import CouncilArea, Sector

BATCH = 1000
STATEMENT = (
    "We will listen to the people who use our services and to our staff, learn from what they tell us, and change "
    "how we work so that nobody is harmed again by the way we respond. Our leaders will take part in training and "
    "make time for every member of staff to learn about trauma and its effects."
)


def add_arguments(parser) -> None:
    parser.add_argument("--pledges", type=int, default=0, help="approved pledges on the register to add")


def seed(*, options: dict, stdout) -> None:
    count = options["pledges"]
    Pledge.objects.filter(slug__startswith="scale-").delete()
    if not count:
        return
    rng = random.Random(2026)  # noqa: S311 - fictional data, the same every run so figures compare
    now = timezone.now()
    sectors = list(Sector.objects.values_list("pk", flat=True))
    areas = list(CouncilArea.objects.values_list("pk", flat=True))
    types = [value for value, _ in OrganisationType.choices]
    sizes = [value for value, _ in SizeBand.choices]
    actions = list(ACTION_LABELS)
    pledges = []
    for n in range(count):
        name = f"Scale Organisation {n}"
        signed = now - timedelta(days=rng.randint(1, 1800), minutes=rng.randint(0, 1440))
        pledges.append(
            Pledge(
                organisation_name=name,
                slug=f"scale-organisation-{n}",
                normalised_name=f"scale organisation {n}",
                organisation_type=rng.choice(types),
                sector_id=rng.choice(sectors),
                scotland_wide=n % 10 == 0,
                website=f"https://org{n}.example.org",
                website_domain=f"org{n}.example.org",
                size_band=rng.choice(sizes),
                statement=STATEMENT,
                actions=rng.sample(actions, rng.randint(1, 4)),
                own_actions="Meet with people with lived experience every quarter" if n % 4 == 0 else "",
                leader_name=f"Leader {n}",
                leader_role="Chief Executive",
                leader_confirmed=True,
                contact_name=f"Contact {n}",
                contact_email=f"contact{n}@org{n}.example.org",
                status=PledgeStatus.APPROVED,
                created_at=signed - timedelta(days=3),
                confirmed_at=signed - timedelta(days=2),
                signed_at=signed,
            )
        )
    Pledge.objects.bulk_create(pledges, batch_size=BATCH)
    ids = list(Pledge.objects.filter(slug__startswith="scale-").values_list("pk", flat=True))
    Pledge.council_areas.through.objects.bulk_create(
        [
            Pledge.council_areas.through(pledge_id=pk, councilarea_id=area)
            for pk in ids
            for area in rng.sample(areas, rng.randint(1, 3))
        ],
        batch_size=BATCH * 5,
    )
    bump(REGISTER_CACHE)
    stdout.write(f"  pledges: {len(ids)} approved pledges")
