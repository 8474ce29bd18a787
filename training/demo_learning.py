"""Demo e-learning: one complete module ("Trauma-informed practice: the essentials") and two pathways.

Idempotent: everything is update_or_create by slug or position, so running seed_demo again changes nothing. Runs
after the catalogue seed; pathway resources are looked up by slug and any that are missing are skipped.
"""

from django.db import transaction
from django.utils import timezone

from portal.models import PracticeLevel
from training.models import Format, Module, Option, Pathway, PathwayItem, Question, Resource, Step

MODULE_SLUG = "trauma-informed-practice-the-essentials"

RESOURCE = {
    "title": "Trauma-informed practice: the essentials",
    "summary": (
        "A short module in seven steps on what trauma is, the five principles, and small things anyone can do "
        "to help and not harm. Do it in one sitting or several."
    ),
    "description": (
        "This module is for anyone in Scotland's workforce, whatever your role. It takes about 40 minutes and "
        "you can stop after any step: your place is saved.\n\n"
        "You will:\n\n"
        "- understand what we mean by trauma and how common it is\n"
        "- know the five principles of trauma-informed practice\n"
        "- think about what they look like in your own work\n"
        "- check what you have learned, with an explanation for every answer\n\n"
        "When you finish, you can download a certificate for your CPD record."
    ),
    "format": Format.ELEARNING,
    "duration_minutes": 40,
    "provider": "Trauma-informed workforce portal, drawing on the NES Knowledge and Skills Framework",
    "cost": "Free",
    "content_warning": (
        "This module mentions childhood adversity, abuse and violence in general terms. It does not describe "
        "anyone's experience in detail."
    ),
}

INTRODUCTION = (
    "Trauma is common, and many of the people we work with, and many of our colleagues, live with its effects. "
    "This module gives you the baseline that every level of trauma training builds on: what trauma is, why it "
    "matters in everyday work, and how the five principles help you respond in ways that support recovery "
    "rather than causing more harm.\n\n"
    "There are seven short steps. One asks you to reflect on your own work: what you write is private to you."
)

STEPS = [
    {
        "title": "What we mean by trauma",
        "kind": Step.Kind.READING,
        "body": (
            "Trauma is what can happen when an event or a set of circumstances is frightening, harmful or "
            "threatening, and it overwhelms a person's ability to cope. What matters is not only the event, but "
            "how it was experienced and the effect it has over time.\n\n"
            "Some trauma is a single event, such as an accident or an assault. Some is repeated over months or "
            "years, often in relationships that should have been safe: this is sometimes called complex trauma. "
            "Adversity in childhood, such as neglect, living with domestic abuse or a parent's serious illness, "
            "can affect health and wellbeing throughout life.\n\n"
            "## Why it matters in your work\n\n"
            "Trauma can shape how people see the world and the services they use. Someone who seems 'difficult', "
            "misses appointments or reacts strongly to a small change may be protecting themselves in ways that "
            "once kept them safe. Asking *what happened to this person?* rather than *what is wrong with them?* "
            "changes how we respond.\n\n"
            "People recover. Relationships with staff who are kind, predictable and respectful are one of the "
            "things that help most."
        ),
    },
    {
        "title": "Hearing from people with lived experience",
        "kind": Step.Kind.VIDEO,
        "body": (
            "In this short film, three people talk about what helped and what made things harder when they asked "
            "services for help."
        ),
        "video_url": "",
        "transcript": (
            "**Narrator:** We asked three people what made a difference when they needed help.\n\n"
            "**Aileen:** The first time I went to the housing office, I had to tell my story at a counter with a "
            "queue behind me. I walked out. The next time, someone took me to a quiet room and said, 'You only "
            "need to tell me what you want to tell me.' That was the day things started to change.\n\n"
            "**Jamal:** What helped was knowing what would happen next. My worker always told me who would call, "
            "and when. If plans changed, she said so. It sounds small, but I could relax a bit.\n\n"
            "**Chris:** I was given choices. Where to sit, whether to have the door open, whether I wanted a break. "
            "Nobody had asked me what I wanted for a long time.\n\n"
            "**Narrator:** Safety, trust, choice, collaboration and empowerment: the principles you will meet in "
            "the next step are things people notice."
        ),
    },
    {
        "title": "The five principles",
        "kind": Step.Kind.READING,
        "body": (
            "Trauma-informed practice rests on five principles. They apply to a single conversation and to how a "
            "whole service is run.\n\n"
            "- **Safety**: people feel physically and emotionally safe. A calm space, a warm welcome, no surprises.\n"
            "- **Trust**: we are clear and consistent, we do what we say, and we explain what happens next.\n"
            "- **Choice**: people have real choices and some control over what happens to them.\n"
            "- **Collaboration**: we work with people, not do things to them, and value what they know about "
            "their own lives.\n"
            "- **Empowerment**: we build on people's strengths and help them make their own decisions.\n\n"
            "None of these needs a specialist. They are about how we greet people, how we explain things, how we "
            "ask questions and how we respond when someone is upset."
        ),
    },
    {
        "title": "Reflect on your own work",
        "kind": Step.Kind.REFLECTION,
        "body": (
            "Think of a recent time someone came to you or your service for help.\n\n"
            "- Which of the five principles did you see in how they were treated?\n"
            "- What is one small thing that could make the next person feel safer or more in control?\n\n"
            "Take as long as you like. Writing your thoughts down is optional."
        ),
    },
    {
        "title": "Responding without causing harm",
        "kind": Step.Kind.READING,
        "body": (
            "Re-traumatisation happens when something in a service echoes a past harm: not being believed, "
            "being rushed, losing control over what happens, being asked to repeat a painful story.\n\n"
            "Small changes help:\n\n"
            "1. Introduce yourself and explain your role and what will happen.\n"
            "2. Ask only what you need to know, and say why you are asking.\n"
            "3. Offer choices where you can: time, place, who is in the room.\n"
            "4. Notice signs of distress and offer a pause.\n"
            "5. End by saying what happens next and who to contact.\n\n"
            "You do not need to ask about someone's trauma to respond in a trauma-informed way."
        ),
    },
    {
        "title": "Looking after yourself",
        "kind": Step.Kind.READING,
        "body": (
            "Hearing about other people's trauma can affect us too. This is sometimes called vicarious trauma, "
            "and it is a normal response to difficult work, not a weakness.\n\n"
            "Notice how you are. Talk to someone you trust, use supervision and take breaks. If something in this "
            "module has brought up difficult feelings, support is available: Breathing Space on 0800 83 85 87, "
            "Samaritans on 116 123, or NHS 24 on 111."
        ),
    },
    {
        "title": "Check what you have learned",
        "kind": Step.Kind.CHECK,
        "body": "Four questions about the module. Each answer comes with an explanation.",
    },
]

QUESTIONS = [
    (
        "A person keeps missing appointments. Which question is most trauma-informed?",
        [
            (
                "What is wrong with this person?",
                False,
                "This looks for a fault in the person. It can lead to blame and to services closing the door.",
            ),
            (
                "What might have happened to this person, and what might help them attend?",
                True,
                (
                    "Right. Missed appointments can be a way of coping. Asking what happened and what would help "
                    "opens the door to a different response."
                ),
            ),
            (
                "Should we stop offering appointments?",
                False,
                "Withdrawing help may repeat past experiences of being let down. Try to understand the barrier first.",
            ),
        ],
    ),
    (
        "Which of these is one of the five principles of trauma-informed practice?",
        [
            (
                "Efficiency",
                False,
                (
                    "Efficiency matters to services, but it is not one of the five principles: safety, trust, "
                    "choice, collaboration and empowerment."
                ),
            ),
            ("Choice", True, "Right. Offering real choices gives back some control, which trauma often takes away."),
            (
                "Diagnosis",
                False,
                "Trauma-informed practice does not need a diagnosis. Anyone can respond in a trauma-informed way.",
            ),
        ],
    ),
    (
        "Do you need to ask someone about their trauma to respond in a trauma-informed way?",
        [
            (
                "Yes, always, so you know how to help",
                False,
                (
                    "Asking for details can be re-traumatising and is rarely needed. The principles apply whether or "
                    "not you know someone's history."
                ),
            ),
            (
                "No. You can apply the principles without knowing someone's history",
                True,
                (
                    "Right. Trauma-informed practice is about how you respond to everyone, not about uncovering what "
                    "happened."
                ),
            ),
        ],
    ),
    (
        "Someone becomes upset while you are explaining a form. What helps most?",
        [
            (
                "Carry on quickly so it is over sooner",
                False,
                "Rushing can take away control. Noticing and offering a pause helps the person feel safe.",
            ),
            (
                "Notice, offer a pause, and let them choose how to go on",
                True,
                "Right. This shows safety and choice, and lets the person stay in control of what happens next.",
            ),
            (
                "Tell them there is nothing to be upset about",
                False,
                "Well meant, but it can feel like not being believed. Acknowledging their feelings builds trust.",
            ),
        ],
    ),
]

PATHWAYS = [
    {
        "slug": "trauma-informed-for-everyone",
        "title": "Trauma Informed: for everyone",
        "summary": (
            "Where everyone in Scotland's workforce starts: the baseline knowledge of trauma and how to respond "
            "without causing harm."
        ),
        "description": (
            "Start here whatever your job. These resources take about three hours in total, and you can do them "
            "in short sittings. Together they cover the Trauma Informed practice level."
        ),
        "level": "trauma-informed",
        "items": [MODULE_SLUG, "opening-doors", "sowing-seeds"],
    },
    {
        "slug": "trauma-skilled",
        "title": "Trauma Skilled",
        "summary": (
            "For people likely to meet people affected by trauma in their work: GPs, teachers, police officers, "
            "housing and care workers, receptionists."
        ),
        "description": (
            "Complete the Trauma Informed pathway first: the levels build on each other. Then work through the "
            "Trauma Skilled module on Turas Learn and the four shorter modules, choosing the ones closest to "
            "your work."
        ),
        "level": "trauma-skilled",
        "items": [
            "developing-your-trauma-skilled-practice",
            "skilled-module-impact-of-trauma",
            "skilled-module-children-and-young-people",
            "skilled-module-mental-health",
            "skilled-module-substance-use",
        ],
    },
]


def seed(*, stdout) -> None:
    """The demo module and pathways (built with e-learning)."""
    with transaction.atomic():
        resource = _seed_module()
        stdout.write(f"Module: {resource.title} ({resource.module.steps.count()} steps)")
        for data in PATHWAYS:
            pathway, count = _seed_pathway(data)
            stdout.write(f"Pathway: {pathway.title} ({count} resources)")


def _seed_module() -> Resource:
    now = timezone.now()
    resource, _ = Resource.objects.update_or_create(slug=MODULE_SLUG, defaults=RESOURCE)
    if resource.published_at is None:
        resource.published_at = now
        resource.save(update_fields=["published_at"])
    resource.levels.set(PracticeLevel.objects.filter(slug="trauma-informed"))
    module, _ = Module.objects.update_or_create(
        resource=resource, defaults={"introduction": INTRODUCTION, "pass_mark": 75}
    )
    for order, data in enumerate(STEPS, start=1):
        step, _ = Step.objects.update_or_create(
            module=module,
            order=order,
            defaults={
                "title": data["title"],
                "kind": data["kind"],
                "body": data["body"],
                "video_url": data.get("video_url", ""),
                "transcript": data.get("transcript", ""),
                "required": True,
            },
        )
        if step.kind == Step.Kind.CHECK:
            for q_order, (text, options) in enumerate(QUESTIONS, start=1):
                question, _ = Question.objects.update_or_create(step=step, order=q_order, defaults={"text": text})
                for o_order, (option_text, correct, feedback) in enumerate(options, start=1):
                    Option.objects.update_or_create(
                        question=question,
                        order=o_order,
                        defaults={"text": option_text, "is_correct": correct, "feedback": feedback},
                    )
    return resource


def _seed_pathway(data: dict) -> tuple[Pathway, int]:
    pathway, _ = Pathway.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": data["title"],
            "summary": data["summary"],
            "description": data["description"],
            "level": PracticeLevel.objects.filter(slug=data["level"]).first(),
        },
    )
    if pathway.published_at is None:
        pathway.published_at = timezone.now()
        pathway.save(update_fields=["published_at"])
    resources = {resource.slug: resource for resource in Resource.objects.filter(slug__in=data["items"])}
    present = [slug for slug in data["items"] if slug in resources]
    PathwayItem.objects.filter(pathway=pathway).exclude(resource__slug__in=present).delete()
    for order, slug in enumerate(present, start=1):
        PathwayItem.objects.update_or_create(pathway=pathway, resource=resources[slug], defaults={"order": order})
    return pathway, len(present)
