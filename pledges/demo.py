"""Demo pledges: about 40 fictional organisations on the register, some with progress updates, and a few still
waiting for confirmation or review. Idempotent: keyed on the slug, updated rather than duplicated. No email is sent."""

import datetime
import random

from django.utils import timezone

from pledges.models import ACTION_LABELS, OrganisationType, Pledge, PledgeStatus, ProgressUpdate, SizeBand, UpdateStatus
from pledges.services import normalise_name, website_domain
from portal.models import CouncilArea, Sector

T = OrganisationType
# name, type, sector slug, council area slugs ("*" for Scotland-wide), size
ORGANISATIONS = [
    ("Glenmorven Council", T.LOCAL_AUTHORITY, "public-sector", ["highland"], SizeBand.VERY_LARGE),
    ("Kinloch Firth Council", T.LOCAL_AUTHORITY, "public-sector", ["fife"], SizeBand.VERY_LARGE),
    ("Strathard Council", T.LOCAL_AUTHORITY, "public-sector", ["perth-and-kinross"], SizeBand.VERY_LARGE),
    ("Clydeview Council", T.LOCAL_AUTHORITY, "public-sector", ["west-dunbartonshire"], SizeBand.VERY_LARGE),
    ("Eastmuir Council", T.LOCAL_AUTHORITY, "public-sector", ["east-ayrshire"], SizeBand.VERY_LARGE),
    ("Islands Council of the North", T.LOCAL_AUTHORITY, "public-sector", ["orkney-islands"], SizeBand.LARGE),
    ("NHS Ben Lomond", T.NHS_BOARD, "public-sector", ["stirling", "falkirk", "clackmannanshire"], SizeBand.VERY_LARGE),
    ("NHS Eastern Shores", T.NHS_BOARD, "public-sector", ["city-of-edinburgh", "midlothian"], SizeBand.VERY_LARGE),
    (
        "NHS Granite Coast",
        T.NHS_BOARD,
        "public-sector",
        ["aberdeen-city", "aberdeenshire", "moray"],
        SizeBand.VERY_LARGE,
    ),
    ("NHS Borders and Tweed", T.NHS_BOARD, "public-sector", ["scottish-borders"], SizeBand.VERY_LARGE),
    ("Glenmorven Health and Social Care Partnership", T.HSCP, "public-sector", ["highland"], SizeBand.LARGE),
    ("Forth and Stirling Partnership", T.HSCP, "public-sector", ["stirling", "clackmannanshire"], SizeBand.LARGE),
    ("Dundee Riverside Partnership", T.HSCP, "public-sector", ["dundee-city"], SizeBand.LARGE),
    ("Renfrew Care Partnership", T.HSCP, "public-sector", ["renfrewshire"], SizeBand.LARGE),
    ("West Lothian Together Partnership", T.HSCP, "public-sector", ["west-lothian"], SizeBand.LARGE),
    ("Safe Harbour Women's Aid", T.THIRD_SECTOR, "third-sector", ["renfrewshire"], SizeBand.SMALL),
    ("The Open Door Recovery Trust", T.THIRD_SECTOR, "third-sector", ["glasgow-city"], SizeBand.MEDIUM),
    ("Bothy Youth Project", T.THIRD_SECTOR, "third-sector", ["angus"], SizeBand.MICRO),
    (
        "Haven Housing Association",
        T.THIRD_SECTOR,
        "third-sector",
        ["north-lanarkshire", "south-lanarkshire"],
        SizeBand.MEDIUM,
    ),
    ("Lighthouse Families Scotland", T.THIRD_SECTOR, "third-sector", ["*"], SizeBand.MEDIUM),
    ("Kinship Carers Network", T.THIRD_SECTOR, "third-sector", ["*"], SizeBand.SMALL),
    ("Islands Listening Service", T.THIRD_SECTOR, "third-sector", ["na-h-eileanan-siar"], SizeBand.MICRO),
    ("Solway Community Justice Trust", T.THIRD_SECTOR, "third-sector", ["dumfries-and-galloway"], SizeBand.SMALL),
    (
        "Ayrshire Peer Support Collective",
        T.THIRD_SECTOR,
        "third-sector",
        ["north-ayrshire", "south-ayrshire"],
        SizeBand.SMALL,
    ),
    ("East Renfrewshire Carers' Centre", T.THIRD_SECTOR, "third-sector", ["east-renfrewshire"], SizeBand.SMALL),
    ("Braeside Care Homes", T.PRIVATE_SECTOR, "private-sector", ["east-lothian"], SizeBand.MEDIUM),
    (
        "Thistle Training and Employment",
        T.PRIVATE_SECTOR,
        "private-sector",
        ["glasgow-city"],
        SizeBand.SMALL,
    ),
    ("Northlight Bus Company", T.PRIVATE_SECTOR, "private-sector", ["aberdeenshire"], SizeBand.LARGE),
    ("Kelpie Digital", T.PRIVATE_SECTOR, "private-sector", ["falkirk"], SizeBand.MICRO),
    ("Shetland Harbour Services", T.PRIVATE_SECTOR, "private-sector", ["shetland-islands"], SizeBand.SMALL),
    ("Scottish Centre for Learning Together", T.NATIONAL_BODY, "public-sector", ["*"], SizeBand.LARGE),
    ("National Community Safety Agency", T.NATIONAL_BODY, "public-sector", ["*"], SizeBand.VERY_LARGE),
    ("Scottish Tenancy Advice Service", T.NATIONAL_BODY, "public-sector", ["*"], SizeBand.MEDIUM),
    ("Children's Rights Office for Scotland", T.NATIONAL_BODY, "public-sector", ["*"], SizeBand.MEDIUM),
    ("Argyll Islands Ferries Trust", T.OTHER, "third-sector", ["argyll-and-bute"], SizeBand.MEDIUM),
    ("Midlothian Sports Partnership", T.OTHER, "third-sector", ["midlothian"], SizeBand.SMALL),
    ("Moray Faith Communities Forum", T.OTHER, "third-sector", ["moray"], SizeBand.MICRO),
    ("Perth College of Care", T.OTHER, "public-sector", ["perth-and-kinross", "angus"], SizeBand.LARGE),
    ("Tayside Fire Volunteers Association", T.OTHER, "third-sector", ["dundee-city", "angus"], SizeBand.SMALL),
    ("Edinburgh Libraries Trust", T.OTHER, "third-sector", ["city-of-edinburgh"], SizeBand.MEDIUM),
]
AWAITING_CONFIRMATION = [
    ("Loch Tay Outdoor Centre", T.PRIVATE_SECTOR, "private-sector", ["perth-and-kinross"], SizeBand.MICRO),
    ("Glenmorven Credit Union", T.OTHER, "third-sector", ["highland"], SizeBand.SMALL),
]
AWAITING_REVIEW = [
    ("Fife Young Carers Hub", T.THIRD_SECTOR, "third-sector", ["fife"], SizeBand.SMALL),
    ("Clackmannan Community Food", T.THIRD_SECTOR, "third-sector", ["clackmannanshire"], SizeBand.MICRO),
    ("Kinloch Firth Council Housing Service", T.LOCAL_AUTHORITY, "public-sector", ["fife"], SizeBand.LARGE),
]

OPENINGS = [
    "We are signing because the people who come to us have often been let down before, and we want that to stop "
    "with us.",
    "Our leadership team has agreed that becoming trauma-informed is part of how we deliver every service, not an "
    "extra project.",
    "Many of our staff carry their own experience of trauma, and many of the people we support do too.",
    "We know that how a service feels matters as much as what it offers.",
]
MIDDLES = [
    "Over the next year we will make sure every member of staff completes trauma-informed training, and that our "
    "managers know how to support colleagues after difficult conversations.",
    "We will ask people with lived experience to review our letters, waiting areas and first appointments, and we "
    "will pay them for their time.",
    "We will use the organisational roadmap to see where we are now and agree three changes we can make this year.",
    "We will look again at the rules that make it harder for people to reach us, starting with missed appointments.",
]
CLOSINGS = [
    "We will report honestly on what works and what does not.",
    "We want the people who use our services to feel safe, listened to and in control of what happens next.",
    "We are proud to stand with other organisations across Scotland on this.",
]
UPDATES = [
    (
        "Most of our frontline staff have now completed trauma-informed training, and our senior team took part in "
        "leadership training together. We rewrote our first-appointment letter with two people who use our service.",
        "Next we will review how we respond when someone misses an appointment, and offer reflective practice "
        "sessions to every team.",
    ),
    (
        "We set up a lived-experience panel of six people who meet every two months. They changed how our reception "
        "area looks and what we say on the phone.",
        "We will ask the panel to help us recruit new staff and to review our complaints process.",
    ),
]


def _statement(rng: random.Random) -> str:
    return " ".join([rng.choice(OPENINGS), rng.choice(MIDDLES), rng.choice(CLOSINGS)])


def seed(*, stdout, show_passwords: bool) -> None:
    rng = random.Random(5)  # noqa: S311 - repeatable demo text, nothing secret
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    areas = {area.slug: area for area in CouncilArea.objects.all()}
    now = timezone.now()
    keys = list(ACTION_LABELS)
    batches = [
        (ORGANISATIONS, PledgeStatus.APPROVED),
        (AWAITING_CONFIRMATION, PledgeStatus.AWAITING_CONFIRMATION),
        (AWAITING_REVIEW, PledgeStatus.AWAITING_REVIEW),
    ]
    made = 0
    for rows, status in batches:
        for index, (name, org_type, sector_slug, area_slugs, size) in enumerate(rows):
            slug = name.lower().replace("'", "").replace(" ", "-")
            website = f"https://www.{slug.replace('-', '')[:40]}.example.org"
            created = now - datetime.timedelta(
                days=rng.randint(20, 800) if status == PledgeStatus.APPROVED else index + 1
            )
            approved = status == PledgeStatus.APPROVED
            pledge, _ = Pledge.objects.update_or_create(
                slug=slug,
                defaults={
                    "organisation_name": name,
                    "normalised_name": normalise_name(name),
                    "organisation_type": org_type,
                    "sector": sectors[sector_slug],
                    "scotland_wide": area_slugs == ["*"],
                    "website": website,
                    "website_domain": website_domain(website),
                    "size_band": size,
                    "statement": _statement(rng),
                    "actions": rng.sample(keys, k=3),
                    "own_actions": "Hold a staff conversation about the pledge each spring" if index % 4 == 0 else "",
                    "leader_name": f"Demo Leader {index + 1}",
                    "leader_role": "Chief Executive" if index % 2 else "Director",
                    "leader_confirmed": True,
                    "contact_name": f"Demo Contact {index + 1}",
                    "contact_email": f"pledge-contact-{slug}@example.org",
                    "status": status,
                    "created_at": created,
                    "confirmed_at": None if status == PledgeStatus.AWAITING_CONFIRMATION else created,
                    "signed_at": created + datetime.timedelta(days=3) if approved else None,
                },
            )
            pledge.council_areas.set([areas[s] for s in area_slugs if s in areas])
            if approved and index % 5 == 0:
                done, next_steps = UPDATES[index % 2]
                ProgressUpdate.objects.update_or_create(
                    pledge=pledge,
                    done=done,
                    defaults={
                        "next_steps": next_steps,
                        "status": UpdateStatus.APPROVED,
                        "published_at": created + datetime.timedelta(days=40),
                        "created_at": created + datetime.timedelta(days=38),
                    },
                )
            made += 1
    stdout.write(
        f"Pledges: {made} demo organisations ({len(ORGANISATIONS)} on the register); review them at /pledge/review/"
    )
