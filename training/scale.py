"""Scale data for the catalogue (portal's seed_scale command): many published resources with levels and areas."""

import random
from datetime import timedelta

from django.utils import timezone

from portal.cache import bump
from portal.models import PracticeLevel, Role, ServiceArea
from training.models import Format, Resource
from training.search import update_resource_vectors
from training.selectors import CATALOGUE_CACHE

BATCH = 1000
TOPICS = [
    "trauma-informed conversations",
    "safety planning",
    "supporting children and families",
    "adverse childhood experiences",
    "compassionate leadership",
    "staff wellbeing",
    "housing and homelessness",
    "justice settings",
    "mental health and substance use",
    "lived experience",
    "resilience",
    "reducing re-traumatisation",
]
WORDS = [
    "people",
    "services",
    "support",
    "staff",
    "practice",
    "learning",
    "care",
    "relationships",
    "listening",
    "choice",
    "trust",
    "collaboration",
    "empowerment",
    "recovery",
    "organisation",
    "community",
    "health",
    "education",
    "police",
    "workforce",
    "skills",
    "knowledge",
    "reflection",
]


def add_arguments(parser) -> None:
    parser.add_argument("--resources", type=int, default=0, help="published training resources to add")


def seed(*, options: dict, stdout) -> None:
    count = options["resources"]
    Resource.objects.filter(slug__startswith="scale-").delete()
    if not count:
        return
    rng = random.Random(2026)  # noqa: S311 - fictional data, the same every run so figures compare
    now = timezone.now()
    formats = [value for value, _ in Format.choices]
    resources = []
    for n in range(count):
        topic = rng.choice(TOPICS)
        # About one in three titles says "trauma" outright; most descriptions do somewhere.
        title = f"{'Trauma and ' if n % 3 == 0 else ''}{topic} {n}".capitalize()
        resources.append(
            Resource(
                title=title,
                slug=f"scale-resource-{n}",
                summary=f"Short learning on {topic} for {rng.choice(WORDS)} {rng.choice(WORDS)}.",
                description=" ".join(rng.choice(WORDS) for _ in range(120)) + " trauma " * (n % 2),
                format=rng.choice(formats),
                duration_minutes=rng.choice([5, 10, 20, 45, 60, 90, 120, 180, 240]),
                provider=rng.choice(["NHS Education for Scotland", "Improvement Service", "A local partnership"]),
                published_at=now - timedelta(days=rng.randint(1, 1500)),
            )
        )
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    ids = list(Resource.objects.filter(slug__startswith="scale-").values_list("pk", flat=True))
    levels = list(PracticeLevel.objects.values_list("pk", flat=True))
    areas = list(ServiceArea.objects.values_list("pk", flat=True))
    roles = list(Role.objects.values_list("pk", flat=True))
    Resource.levels.through.objects.bulk_create(
        [
            Resource.levels.through(resource_id=pk, practicelevel_id=level)
            for pk in ids
            for level in rng.sample(levels, rng.randint(1, 2))
        ],
        batch_size=BATCH * 5,
    )
    Resource.service_areas.through.objects.bulk_create(
        [
            Resource.service_areas.through(resource_id=pk, servicearea_id=area)
            for pk in ids
            for area in rng.sample(areas, rng.randint(0, 3))
        ],
        batch_size=BATCH * 5,
    )
    Resource.audiences.through.objects.bulk_create(
        [Resource.audiences.through(resource_id=pk, role_id=role) for pk in ids for role in rng.sample(roles, 1)],
        batch_size=BATCH * 5,
    )
    update_resource_vectors(Resource.objects.filter(pk__in=ids))  # one UPDATE for them all
    bump(CATALOGUE_CACHE)
    stdout.write(f"  training: {len(ids)} resources")
