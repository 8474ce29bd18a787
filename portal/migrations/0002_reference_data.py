"""Load Scotland's reference data. Admins can edit it afterwards; this migration only adds what is missing."""

from django.db import migrations
from django.utils.text import slugify

COUNCIL_AREAS = [
    "Aberdeen City", "Aberdeenshire", "Angus", "Argyll and Bute", "Clackmannanshire", "Dumfries and Galloway",
    "Dundee City", "East Ayrshire", "East Dunbartonshire", "East Lothian", "East Renfrewshire", "City of Edinburgh",
    "Na h-Eileanan Siar", "Falkirk", "Fife", "Glasgow City", "Highland", "Inverclyde", "Midlothian", "Moray",
    "North Ayrshire", "North Lanarkshire", "Orkney Islands", "Perth and Kinross", "Renfrewshire", "Scottish Borders",
    "Shetland Islands", "South Ayrshire", "South Lanarkshire", "Stirling", "West Dunbartonshire", "West Lothian",
]  # fmt: skip

HEALTH_BOARDS = {
    "NHS Ayrshire and Arran": ["East Ayrshire", "North Ayrshire", "South Ayrshire"],
    "NHS Borders": ["Scottish Borders"],
    "NHS Dumfries and Galloway": ["Dumfries and Galloway"],
    "NHS Fife": ["Fife"],
    "NHS Forth Valley": ["Clackmannanshire", "Falkirk", "Stirling"],
    "NHS Grampian": ["Aberdeen City", "Aberdeenshire", "Moray"],
    "NHS Greater Glasgow and Clyde": [
        "East Dunbartonshire", "East Renfrewshire", "Glasgow City", "Inverclyde", "Renfrewshire",
        "West Dunbartonshire",
    ],
    "NHS Highland": ["Highland", "Argyll and Bute"],
    "NHS Lanarkshire": ["North Lanarkshire", "South Lanarkshire"],
    "NHS Lothian": ["City of Edinburgh", "East Lothian", "Midlothian", "West Lothian"],
    "NHS Orkney": ["Orkney Islands"],
    "NHS Shetland": ["Shetland Islands"],
    "NHS Tayside": ["Angus", "Dundee City", "Perth and Kinross"],
    "NHS Western Isles": ["Na h-Eileanan Siar"],
}  # fmt: skip

SECTORS = [
    ("Public sector", "Councils, the NHS, police, fire and rescue, national bodies and other public services."),
    ("Third sector", "Charities, voluntary organisations, community groups and social enterprises."),
    ("Private sector", "Independent providers and businesses."),
]

ROLES = ["Senior management", "Middle management", "Frontline manager", "Practitioner", "Elected member"]

SERVICE_AREAS = [
    "Alcohol and drugs", "Children and families", "Education", "Health", "Housing and homelessness", "Justice",
    "Mental health", "Police", "Social care and social work", "Employability",
]  # fmt: skip

PRACTICE_LEVELS = [
    (
        "Trauma Informed",
        "all",
        "Everyone in Scotland's workforce, whatever their job.",
        "Knowing what trauma is, how common it is and how it can affect people, and how to respond in a way that "
        "does not add to the harm. It is the foundation every other level builds on.",
    ),
    (
        "Trauma Skilled",
        "most",
        "People whose work means they are likely to meet people affected by trauma, often without knowing it: "
        "for example GPs, teachers, police officers, receptionists, housing and care workers, health visitors.",
        "Recognising where trauma may be affecting someone and adapting how you work with them, so that your service "
        "feels safe and supports their recovery.",
    ),
    (
        "Trauma Enhanced",
        "some",
        "People whose role is to work with people known to be affected by trauma: offering advocacy, support or "
        "interventions, adapting services, or managing those services.",
        "Working directly and over time with people affected by trauma, and shaping services around what helps them.",
    ),
    (
        "Trauma Specialist",
        "few",
        "People who provide specialist psychological therapies and interventions, such as clinical psychologists.",
        "Offering specialist assessment and therapy for people affected by trauma, and supporting the rest of the "
        "workforce through supervision and consultation.",
    ),
]

PRINCIPLES = [
    ("Safety", "People feel physically and emotionally safe in every contact with a service."),
    ("Trust", "Services are open and consistent, explain what will happen and keep their word."),
    ("Choice", "People have real choices and a say in what happens to them, with control over their own journey."),
    ("Collaboration", "Services work with people, not on them, and value their experience and expertise."),
    ("Empowerment", "Services build on people's strengths and help them feel able to make decisions."),
]


def load(apps, schema_editor):
    CouncilArea = apps.get_model("portal", "CouncilArea")
    HealthBoard = apps.get_model("portal", "HealthBoard")
    Partnership = apps.get_model("portal", "HealthAndSocialCarePartnership")
    Sector = apps.get_model("portal", "Sector")
    Role = apps.get_model("portal", "Role")
    ServiceArea = apps.get_model("portal", "ServiceArea")
    PracticeLevel = apps.get_model("portal", "PracticeLevel")
    Principle = apps.get_model("portal", "Principle")

    areas = {}
    for order, name in enumerate(sorted(COUNCIL_AREAS), start=1):
        areas[name], _ = CouncilArea.objects.get_or_create(slug=slugify(name), defaults={"name": name, "order": order})

    for order, (name, members) in enumerate(HEALTH_BOARDS.items(), start=1):
        board, _ = HealthBoard.objects.get_or_create(slug=slugify(name), defaults={"name": name, "order": order})
        board.council_areas.add(*[areas[m] for m in members])

    # One partnership per council area, except Clackmannanshire and Stirling, which share one: 31 in all.
    shared = ("Clackmannanshire", "Stirling")
    partnerships = [(f"{a} Health and Social Care Partnership", [a]) for a in sorted(COUNCIL_AREAS) if a not in shared]
    partnerships.append(("Clackmannanshire and Stirling Health and Social Care Partnership", list(shared)))
    for order, (name, members) in enumerate(sorted(partnerships), start=1):
        hscp, _ = Partnership.objects.get_or_create(slug=slugify(name), defaults={"name": name, "order": order})
        hscp.council_areas.add(*[areas[m] for m in members])

    for order, (name, description) in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "order": order, "description": description}
        )
    for order, name in enumerate(ROLES, start=1):
        Role.objects.get_or_create(slug=slugify(name), defaults={"name": name, "order": order})
    for order, name in enumerate(SERVICE_AREAS, start=1):
        ServiceArea.objects.get_or_create(slug=slugify(name), defaults={"name": name, "order": order})
    for order, (name, share, who, description) in enumerate(PRACTICE_LEVELS, start=1):
        PracticeLevel.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "order": order,
                "workforce_share": share,
                "who_for": who,
                "description": description,
            },
        )
    for order, (name, description) in enumerate(PRINCIPLES, start=1):
        Principle.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "order": order, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
