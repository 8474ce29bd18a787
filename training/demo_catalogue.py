"""Demo catalogue: resources across the four practice levels and every format, case studies and learning events.

Written in the portal's own words. Idempotent: rows are found by slug and brought up to date.
The e-learning module "trauma-informed-practice-the-essentials" is made by demo_learning, not here.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.models import PracticeLevel, Principle, Role, Sector, ServiceArea
from training.models import CaseStudy, LearningEvent, Resource

LONDON = ZoneInfo("Europe/London")
NES = "NHS Education for Scotland (NES)"
TURAS = "https://learn.nes.nhs.scot/"
# Every demo resource can be opened: a module here, or a link to the public site that holds it.
TURAS_LINK = {"external_url": TURAS, "external_site_name": "Turas Learn"}
NTTP_LINK = {
    "external_url": "https://www.traumatransformation.scot/",
    "external_site_name": "the National Trauma Transformation Programme website",
}
IMPROVEMENT_SERVICE_LINK = {
    "external_url": "https://www.improvementservice.org.uk/",
    "external_site_name": "the Improvement Service website",
}


def _published(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=LONDON)


# slug: (title, levels, format, minutes, fields)
RESOURCES: list[dict] = [
    {
        "slug": "opening-doors",
        "title": "Opening Doors: trauma-informed practice for the whole workforce",
        "levels": ["trauma-informed"],
        "format": "video",
        "duration_minutes": 6,
        "provider": NES,
        "summary": "A short animation about what trauma is, how it can shape the way people respond to services, "
        "and the small things any of us can do to help.",
        "description": "Opening Doors is a good first step for anyone in Scotland's workforce, whatever your job.\n\n"
        "In a few minutes it shows:\n\n"
        "- how common trauma and adversity are\n"
        "- why someone affected by trauma may find a service hard to use\n"
        "- how kindness, choice and a calm welcome make a difference\n\n"
        "It ends with where to get support if anything in it affects you.",
        "content_warning": "The animation mentions childhood abuse, neglect and domestic abuse. It does not show "
        "them. Take a break at any point.",
        "transcript": "**Narrator:** Every day, people walk through our doors carrying more than we can see.\n\n"
        "Some of them have lived through things that changed how safe the world feels. Trauma is common. It can "
        "affect how people think, feel and act, sometimes long after the events themselves.\n\n"
        "When a service feels rushed or confusing, it can bring back that sense of danger. When it feels calm, "
        "clear and kind, it can open a door.\n\n"
        "You do not need to know someone's story to help. Offer choice. Explain what happens next. Keep your "
        "word.\n\n"
        "If anything in this film has affected you, you can talk to Breathing Space, Samaritans on 116 123, "
        "or NHS 24 on 111.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "service_areas": [],
        "published_at": _published(2024, 3, 4),
    },
    {
        "slug": "sowing-seeds",
        "title": "Sowing Seeds: trauma-informed practice for children and young people",
        "levels": ["trauma-informed"],
        "format": "workshop",
        "duration_minutes": 120,
        "provider": NES,
        "audience_note": "people who work with children and young people",
        "summary": "An animation and a facilitated workshop about how trauma can affect children and young people, "
        "and how the adults around them can help them feel safe.",
        "description": "Sowing Seeds is for anyone whose work brings them into contact with children and young "
        "people, from nursery staff to youth workers and receptionists.\n\n"
        "The session starts with a short animation, then a trained facilitator leads a conversation about what it "
        "means for your own work. Allow about two hours.\n\n"
        "Ask your organisation's training lead about a session near you.",
        "content_warning": "The animation refers to children experiencing adversity, including neglect and "
        "witnessing violence at home.",
        "transcript": "**Narrator:** A seed needs safe ground to grow. So does a child.\n\n"
        "Children who have lived through adversity may seem angry, withdrawn or always on alert. These are ways "
        "of coping. A steady adult who notices, stays calm and keeps coming back can make a lasting "
        "difference.",
        "service_areas": ["children-and-families", "education"],
        "published_at": _published(2024, 4, 15),
        **TURAS_LINK,
    },
    {
        "slug": "developing-your-trauma-skilled-practice",
        "title": "Developing your trauma skilled practice",
        "levels": ["trauma-skilled"],
        "format": "elearning",
        "duration_minutes": 105,
        "provider": NES,
        "accreditation": "Certificate of completion from Turas Learn",
        "summary": "Five short units and an assessment for staff who are likely to meet people affected by "
        "trauma in their work. Do it in one sitting or a unit at a time.",
        "description": "This e-learning builds on the Trauma Informed level. Across five units you look at:\n\n"
        "1. what trauma is and how it affects people\n"
        "2. recognising the signs that someone may be affected\n"
        "3. responding in ways that avoid further harm\n"
        "4. the five principles in your everyday work\n"
        "5. looking after yourself and your colleagues\n\n"
        "A short assessment at the end checks your learning. It takes between one and two hours in total.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "audiences": ["practitioner", "frontline-manager"],
        "published_at": _published(2024, 5, 20),
    },
    {
        "slug": "skilled-module-impact-of-trauma",
        "title": "Trauma Skilled module 1: the impact of trauma",
        "levels": ["trauma-skilled"],
        "format": "elearning",
        "duration_minutes": 90,
        "provider": NES,
        "summary": "How trauma and adversity affect the body, the mind and relationships, and why that matters "
        "for the way services respond.",
        "description": "The first of four Trauma Skilled modules. You learn how the body's response to threat "
        "works, why people may react in ways that seem out of proportion, and how services can reduce stress "
        "rather than add to it.",
        "content_warning": "This module includes first-person accounts of trauma, including abuse.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "service_areas": ["health", "social-care-and-social-work"],
        "published_at": _published(2024, 6, 3),
    },
    {
        "slug": "skilled-module-children-and-young-people",
        "title": "Trauma Skilled module 2: children and young people",
        "levels": ["trauma-skilled"],
        "format": "elearning",
        "duration_minutes": 90,
        "provider": NES,
        "audience_note": "children and young people",
        "summary": "Recognising when trauma may be affecting a child or young person, and responding in a way that "
        "helps them feel safe and heard.",
        "description": "This module looks at development, attachment and the ways children show distress. It "
        "gives practical ideas for school, early years, health and social work settings.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "service_areas": ["children-and-families", "education"],
        "published_at": _published(2024, 6, 3),
    },
    {
        "slug": "skilled-module-mental-health",
        "title": "Trauma Skilled module 3: mental health",
        "levels": ["trauma-skilled"],
        "format": "elearning",
        "duration_minutes": 90,
        "provider": NES,
        "summary": "The links between trauma and mental health, and how to offer support that does not repeat "
        "past experiences of feeling powerless.",
        "description": "For anyone who supports people with their mental health, in or outside specialist "
        "services. It covers how trauma can show up as distress, and how choice and collaboration help.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "service_areas": ["mental-health", "health"],
        "published_at": _published(2024, 6, 10),
    },
    {
        "slug": "skilled-module-substance-use",
        "title": "Trauma Skilled module 4: substance use",
        "levels": ["trauma-skilled"],
        "format": "elearning",
        "duration_minutes": 90,
        "provider": NES,
        "summary": "Why many people who use alcohol or drugs have lived through trauma, and how services can be "
        "easier to reach and to stay with.",
        "description": "This module looks at substance use as a way some people cope with overwhelming "
        "experiences, and at the barriers services can put in the way without meaning to.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "service_areas": ["alcohol-and-drugs", "housing-and-homelessness"],
        "published_at": _published(2024, 6, 17),
    },
    {
        "slug": "trauma-informed-justice-module-1",
        "title": "Trauma-informed justice: module 1",
        "levels": ["trauma-skilled"],
        "format": "elearning",
        "duration_minutes": 60,
        "provider": NES,
        "audience_note": "the justice workforce",
        "summary": "For people working in justice: how trauma affects victims and witnesses, and how to reduce "
        "the stress of taking part in the justice process.",
        "description": "Written with people who have given evidence in court, this module helps police, court "
        "staff, prosecutors and others understand what makes the process harder, and what makes it fairer.",
        "content_warning": "This module includes accounts from people who experienced crime, including sexual "
        "violence.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "service_areas": ["justice", "police"],
        "published_at": _published(2024, 9, 2),
    },
    {
        "slug": "trauma-informed-justice-module-2",
        "title": "Trauma-informed justice: module 2",
        "levels": ["trauma-skilled"],
        "format": "elearning",
        "duration_minutes": 60,
        "provider": NES,
        "audience_note": "the justice workforce",
        "summary": "Putting trauma-informed practice into everyday justice work: communication, choice and "
        "consistency at each stage of a case.",
        "description": "Builds on module 1 with practical ways to prepare people, explain what will happen next "
        "and keep in touch, so that they can give their best evidence.",
        "external_url": TURAS,
        "external_site_name": "Turas Learn",
        "service_areas": ["justice", "police"],
        "published_at": _published(2024, 9, 16),
    },
    {
        "slug": "scottish-trauma-informed-leaders-training",
        "title": "Scottish Trauma-Informed Leaders Training (STILT)",
        "levels": ["trauma-informed", "trauma-skilled"],
        "format": "leadership",
        "duration_minutes": 360,
        "provider": "National Trauma Training Programme",
        "audiences": ["senior-management", "middle-management", "elected-member"],
        "summary": "A short facilitated programme for leaders who want to make their organisation trauma "
        "informed and responsive. Hundreds of leaders take part each year, and almost all would recommend it.",
        "description": "Leaders set the tone for how a service feels to the people who use it and the people who "
        "work in it. Across a few half-day sessions with other leaders, you look at:\n\n"
        "- what trauma-informed leadership looks like day to day\n"
        "- how to support staff wellbeing and reduce vicarious trauma\n"
        "- how to involve people with lived experience in decisions\n"
        "- planning your organisation's next steps",
        "cost": "Free to public sector organisations",
        "published_at": _published(2024, 2, 12),
        **NTTP_LINK,
    },
    {
        "slug": "trauma-informed-organisational-roadmap",
        "title": "Trauma-informed organisational roadmap",
        "levels": ["trauma-informed", "trauma-skilled", "trauma-enhanced"],
        "format": "guide",
        "duration_minutes": 45,
        "provider": "National Trauma Training Programme",
        "audiences": ["senior-management", "middle-management"],
        "summary": "A self-assessment checklist and tools to help an organisation see where it is and plan what to "
        "do next. It replaces the 2021 toolkit.",
        "description": "The roadmap helps a team or a whole organisation look honestly at how its services, "
        "buildings, policies and culture feel to the people who use them and work in them.\n\n"
        "Work through it together: it takes about 45 minutes to read, and longer to do well.",
        "published_at": _published(2023, 11, 6),
        **NTTP_LINK,
    },
    {
        "slug": "five-minute-guide-trauma-informed-conversations",
        "title": "A five-minute guide to trauma-informed conversations",
        "levels": ["trauma-informed"],
        "format": "guide",
        "duration_minutes": 5,
        "provider": "Improvement Service",
        "summary": "Six things to try in your next conversation with someone who may be having a hard time: from "
        "how you say hello to how you say goodbye.",
        "description": "1. **Introduce yourself** and say what you can help with.\n"
        "2. **Explain what happens next**, even when it seems obvious.\n"
        "3. **Offer choices** where you can: where to sit, whether to take a break.\n"
        '4. **Ask, do not assume.** "Is there anything that would make this easier?"\n'
        "5. **Keep your word**, and say so if something changes.\n"
        "6. **End well**: check what they will do next and who to contact.",
        "published_at": _published(2025, 1, 20),
        **IMPROVEMENT_SERVICE_LINK,
    },
    {
        "slug": "looking-after-yourself-vicarious-trauma",
        "title": "Looking after yourself: vicarious trauma and wellbeing",
        "levels": ["trauma-informed", "trauma-skilled"],
        "format": "webinar",
        "duration_minutes": 25,
        "provider": "Improvement Service",
        "summary": "A recorded webinar about how hearing people's experiences can affect us, and practical ways "
        "to look after yourself and your team.",
        "description": "Hearing about trauma, day after day, can affect anyone. This recording explains vicarious "
        "trauma in plain terms and shares what helps: supervision, peer support, and permission to pause.",
        "transcript": "**Host:** Welcome, everyone. Today we're talking about something that affects many of us "
        "but we rarely name: the effect on us of hearing about other people's trauma.\n\n"
        "**Speaker:** The first thing to say is that it's normal. It isn't a sign you're not coping. The second "
        "is that there's a lot that helps...",
        "service_areas": [],
        "published_at": _published(2025, 2, 3),
        **IMPROVEMENT_SERVICE_LINK,
    },
    {
        "slug": "enhanced-practice-workshop-relationships",
        "title": "Trauma Enhanced practice: working in relationship over time",
        "levels": ["trauma-enhanced"],
        "format": "workshop",
        "duration_minutes": 720,
        "provider": NES,
        "accreditation": "Counts towards CPD hours for registered practitioners",
        "audiences": ["practitioner", "frontline-manager"],
        "summary": "Two facilitated days for people whose role is to support people known to be affected by "
        "trauma: stabilisation, safety planning and working at the person's pace.",
        "description": "For advocacy workers, support workers, key workers and others who work with people over "
        "time. The workshop builds on the Trauma Skilled level and focuses on skills you can use the next day.",
        "cost": "Free (places funded by the National Trauma Training Programme)",
        "service_areas": ["social-care-and-social-work", "housing-and-homelessness", "alcohol-and-drugs"],
        "published_at": _published(2025, 3, 10),
        **TURAS_LINK,
    },
    {
        "slug": "trauma-enhanced-supervision-webinar",
        "title": "Reflective supervision for trauma enhanced teams",
        "levels": ["trauma-enhanced"],
        "format": "webinar",
        "duration_minutes": 60,
        "provider": "Improvement Service",
        "audiences": ["frontline-manager", "middle-management"],
        "summary": "A recorded session for managers of services that support people affected by trauma: making "
        "supervision a safe, regular space to reflect.",
        "description": "Covers the purpose of reflective supervision, how to set it up, and how to notice when a "
        "colleague may need more support.",
        "transcript": "**Speaker:** Supervision isn't a checklist. It's protected time to think about the work "
        "and how it's affecting you...",
        "service_areas": ["social-care-and-social-work", "mental-health"],
        "published_at": _published(2025, 4, 7),
        **IMPROVEMENT_SERVICE_LINK,
    },
    {
        "slug": "specialist-phase-based-trauma-therapy",
        "title": "Phase-based psychological therapy for complex trauma",
        "levels": ["trauma-specialist"],
        "format": "workshop",
        "duration_minutes": 1080,
        "provider": NES,
        "accreditation": "Accredited CPD for practitioner psychologists",
        "audiences": ["practitioner"],
        "summary": "Three days of specialist training for psychologists and therapists offering assessment and "
        "therapy for people with complex trauma.",
        "description": "Covers assessment, stabilisation, trauma-focused therapy and reintegration, with case "
        "discussion and supervision arrangements for the wider team.",
        "cost": "Free to NHS Scotland staff",
        "service_areas": ["mental-health", "health"],
        "published_at": _published(2025, 5, 12),
        **TURAS_LINK,
    },
    {
        "slug": "specialist-consultation-to-teams",
        "title": "Offering consultation to non-specialist teams",
        "levels": ["trauma-specialist"],
        "format": "webinar",
        "duration_minutes": 75,
        "provider": NES,
        "summary": "A recorded masterclass for specialists on supporting the wider workforce through consultation, "
        "formulation and reflective practice.",
        "description": "How specialist practitioners can help teams at every level make sense of what they see, "
        "without taking the work away from them.",
        "transcript": "**Speaker:** Consultation works best when it leaves the team more confident, not more "
        "dependent...",
        "service_areas": ["mental-health"],
        "published_at": _published(2025, 6, 2),
        **TURAS_LINK,
    },
]

CASE_STUDIES: list[dict] = [
    {
        "slug": "a-calmer-welcome-at-the-housing-office",
        "title": "A calmer welcome at the housing office",
        "organisation": "A city council housing options team",
        "sector": "public-sector",
        "service_area": "housing-and-homelessness",
        "principles": ["safety", "choice"],
        "summary": "Small changes to the reception area and the first conversation halved the number of "
        "appointments people walked out of.",
        "what_they_did": "Staff walked through the service as a visitor would. They replaced the ticket machine "
        "with a person, moved interviews out of glass booths and started every appointment by saying how long it "
        "would take and what would happen.",
        "what_changed": "Fewer people left before being seen, complaints fell, and staff said their days felt "
        "less tense.",
        "lived_experience": "Two people who had been homeless in the city joined the walk-through and chose the "
        "first changes to make. They were paid for their time.",
        "credit": "the housing options team and their lived experience advisers",
    },
    {
        "slug": "choice-in-the-classroom",
        "title": "Choice and connection in a secondary school",
        "organisation": "A secondary school and its educational psychology service",
        "sector": "public-sector",
        "service_area": "education",
        "principles": ["trust", "collaboration", "empowerment"],
        "summary": "A school moved from exclusions towards relationships, with a named adult for every pupil who "
        "was struggling.",
        "what_they_did": "All staff completed Trauma Informed training, and pastoral staff went on to the Trauma "
        "Skilled modules. Every pupil at risk of exclusion was offered a named adult they chose themselves.",
        "what_changed": "Exclusions fell over two years, and more pupils said there was an adult in school they "
        "trusted.",
        "lived_experience": "The pupil council helped design a quiet space and the way pupils can ask for a "
        "break without having to explain why.",
    },
    {
        "slug": "recovery-cafe-peer-support",
        "title": "Peer support at a recovery cafe",
        "organisation": "A community recovery charity",
        "sector": "third-sector",
        "service_area": "alcohol-and-drugs",
        "principles": ["collaboration", "empowerment", "trust"],
        "summary": "People in recovery trained as peer volunteers, making the first contact with the service "
        "feel like meeting a friend.",
        "what_they_did": "The charity offered Trauma Informed and Trauma Skilled training to volunteers with lived "
        "experience, with regular reflective supervision.",
        "what_changed": "More people came back after their first visit, and several volunteers moved into paid roles.",
        "lived_experience": "The cafe is run with people in recovery: they decide its opening hours, menu and "
        "house rules.",
        "credit": "the cafe's volunteers",
    },
    {
        "slug": "trauma-informed-care-home-routines",
        "title": "Gentler routines in a care home",
        "organisation": "An independent care home provider",
        "sector": "private-sector",
        "service_area": "social-care-and-social-work",
        "principles": ["safety", "choice"],
        "summary": "Care staff learned how past trauma can resurface in later life, and changed personal care "
        "routines so residents keep more control.",
        "what_they_did": "Staff completed Opening Doors and the Trauma Skilled e-learning, then reviewed morning "
        "and bedtime routines with each resident and their family.",
        "what_changed": "Fewer residents were distressed during personal care, and staff reported feeling more "
        "confident.",
        "lived_experience": "Residents and families told staff what helped them feel safe; their words are now "
        "part of each care plan.",
    },
]


def _events(now: datetime) -> list[dict]:
    def at(days: int, hour: int, minute: int = 0) -> datetime:
        day = (now + timedelta(days=days)).astimezone(LONDON).date()
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)

    return [
        {
            "slug": "deep-dive-trauma-and-housing",
            "title": "Deep dive: trauma-informed housing services",
            "summary": "An hour with housing teams who have changed the way their services feel, with time for "
            "your questions.",
            "description": "Part of the deep dive series. Hear from a housing options team and a tenant adviser "
            "about what they changed first, what was hard, and what they would do differently.\n\n"
            "The session is recorded. Captions are provided.",
            "starts_at": at(14, 10),
            "ends_at": at(14, 11),
            "online": True,
            "speakers": "A housing options manager, city council\nA tenant adviser with lived experience",
            "booking_url": "https://www.improvementservice.org.uk/",
            "resources": ["opening-doors", "trauma-informed-organisational-roadmap"],
        },
        {
            "slug": "trauma-champions-learning-day",
            "title": "Trauma-informed leadership learning day",
            "summary": "A day in Stirling for leaders and trauma champions to share progress and plan together.",
            "description": "Workshops, stories from organisations that have signed the leadership pledge, and "
            "time to plan with colleagues from your area. Lunch is provided; tell us about any access needs "
            "when you book.",
            "starts_at": at(45, 9, 30),
            "ends_at": at(45, 16),
            "online": False,
            "venue": "Stirling Court Hotel, Airthrey Road, Stirling FK9 4LA",
            "speakers": "National Trauma Training Programme team\nTrauma champions from three council areas",
            "booking_url": "https://www.improvementservice.org.uk/",
            "resources": ["scottish-trauma-informed-leaders-training"],
        },
        {
            "slug": "deep-dive-trauma-and-justice",
            "title": "Deep dive: trauma-informed justice",
            "summary": "How justice organisations are reducing the stress of giving evidence. The recording and "
            "resources are below.",
            "description": "Speakers from justice organisations described the changes they have made, from "
            "pre-trial visits to how people are kept informed about their case.",
            "starts_at": at(-30, 13),
            "ends_at": at(-30, 14),
            "online": True,
            "speakers": "A victim support manager\nA procurator fiscal\nA witness with lived experience",
            "recording_url": "https://www.youtube.com/@ImprovementService",
            "recording_transcript": "**Chair:** Thank you all for joining. Today we're hearing about how the "
            "justice system is changing to reduce harm to the people who take part in it...\n\n"
            "**Speaker:** The single biggest thing people told us was that they didn't know what would happen "
            "next. So we started there.",
            "resources": ["trauma-informed-justice-module-1", "trauma-informed-justice-module-2"],
        },
    ]


def seed(*, stdout) -> None:
    """Resources, case studies and events (built with the catalogue)."""
    levels = {level.slug: level for level in PracticeLevel.objects.all()}
    roles = {role.slug: role for role in Role.objects.all()}
    areas = {area.slug: area for area in ServiceArea.objects.all()}
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    principles = {principle.slug: principle for principle in Principle.objects.all()}

    for data in RESOURCES:
        data = dict(data)
        slug = data.pop("slug")
        level_slugs = data.pop("levels")
        audience_slugs = data.pop("audiences", [])
        area_slugs = data.pop("service_areas", [])
        resource, _ = Resource.objects.update_or_create(slug=slug, defaults=data)
        resource.levels.set([levels[s] for s in level_slugs])
        resource.audiences.set([roles[s] for s in audience_slugs])
        resource.service_areas.set([areas[s] for s in area_slugs])
    stdout.write(f"Training catalogue: {len(RESOURCES)} resources.")

    for data in CASE_STUDIES:
        data = dict(data)
        slug = data.pop("slug")
        principle_slugs = data.pop("principles")
        data["sector"] = sectors[data["sector"]]
        data["service_area"] = areas[data["service_area"]]
        data.setdefault("published_at", _published(2025, 1, 13))
        case, _ = CaseStudy.objects.update_or_create(slug=slug, defaults=data)
        case.principles.set([principles[s] for s in principle_slugs])
    stdout.write(f"Training catalogue: {len(CASE_STUDIES)} case studies.")

    now = timezone.now()
    events = _events(now)
    for data in events:
        data = dict(data)
        slug = data.pop("slug")
        resource_slugs = data.pop("resources")
        data.setdefault("published_at", now - timedelta(days=60))
        event, _ = LearningEvent.objects.update_or_create(slug=slug, defaults=data)
        event.resources.set(Resource.objects.filter(slug__in=resource_slugs))
    stdout.write(f"Training catalogue: {len(events)} learning events.")
