"""Demo community: a few categories and groups, 40+ topics with replies, reactions, a question with its answer and
one post with a content note, and work for the moderators: two open flags (one "needs support") and a new member's
post waiting for approval. The README's demo accounts join, so they can post. Idempotent: categories, groups and
people are keyed on their slug or email; topics are only written the first time (when the demo categories have
none), so running it again duplicates nothing. No email is sent: the demo flags and the held post are written
without telling anyone (the flagging and posting services would email the moderators about made-up people)."""

import random

from django.db import transaction
from django.db.models import F, Q

from community.models import Category, CommunityProfile, Flag, Group, Post, Topic
from community.services import groups, membership, posting, reactions
from portal.demo import DEMO_USERS
from portal.models import CouncilArea, Role, Sector, User
from portal.notifications.services import emails_withheld

CATEGORIES = [
    ("introductions", "Introduce yourself", "Say hello, where you work and what brings you here.", None),
    ("questions", "Questions and answers", "Ask the community. Mark the reply that helped.", None),
    ("sharing-practice", "Sharing practice", "What has worked in your service, and what you learned.", None),
    ("training-and-learning", "Training and learning", "Courses, modules and ways to fit learning into work.", None),
    ("housing-practice", "Housing and homelessness", "For the housing group.", "housing-and-homelessness"),
    ("cohort-3-space", "Cohort 3 action learning", "For members of champions cohort 3 only.", "champions-cohort-3"),
]
GROUPS = [
    ("housing-and-homelessness", "Housing and homelessness", Group.Kind.OPEN, "Practitioners in housing services."),
    (
        "justice-workforce",
        "Justice workforce",
        Group.Kind.REQUEST,
        "People working in community and custodial justice.",
    ),
    ("champions-cohort-3", "Champions cohort 3", Group.Kind.PRIVATE, "The action learning set for cohort 3."),
]
# Demo members beside the README's accounts: (email, display name, sector slug, council area slug)
PEOPLE = [
    ("morven@members.example.org", "Morven Reid", "public-sector", "highland"),
    ("callum@members.example.org", "Callum Baird", "third-sector", "glasgow-city"),
    ("aisha@members.example.org", "Aisha Rahman", "public-sector", "city-of-edinburgh"),
    ("eilidh@members.example.org", "Eilidh Mackay", "third-sector", "na-h-eileanan-siar"),
    ("tom@members.example.org", "Tom Gallacher", "public-sector", "fife"),
    ("priya@members.example.org", "Priya Nair", "private-sector", "aberdeen-city"),
    ("jamie@members.example.org", "Jamie Ross", "public-sector", "dundee-city"),
    ("fiona@members.example.org", "Fiona Campbell", "third-sector", "scottish-borders"),
]
TOPICS = {
    "introductions": [
        "Hello from a health visitor in the Highlands",
        "New to the network: housing support worker in Glasgow",
        "Hi all, I lead a small youth charity on the islands",
        "Social work team manager in Fife, keen to learn",
        "Just finished the Trauma Skilled module",
        "Greetings from a GP practice manager",
        "Education psychologist joining from Dundee",
        "Hello from the Borders: adult learning",
    ],
    "questions": [
        "How do you make appointment letters less frightening?",
        "Any good short training for reception staff?",
        "What does a trauma-informed complaints process look like?",
        "How do you support staff after a difficult call?",
        "Is there a checklist for reviewing our waiting room?",
        "How did you get senior leaders on board?",
        "What counts as lived experience involvement that is paid fairly?",
        "Where do I start with the organisational roadmap?",
        "How do you ask about trauma without asking people to retell it?",
        "Recording choices: how do you keep people in control of their information?",
    ],
    "sharing-practice": [
        "We rewrote our first letter and did-not-attend rates fell",
        "Reflective practice groups that actually happen",
        "Giving people a choice of where to meet",
        "Using the five principles in team meetings",
        "What we changed after listening to young people",
        "Small changes at the front desk that made a big difference",
        "Peer support for staff in a busy A&E",
        "Co-designing our leaflet with people who use the service",
        "A calmer phone script for first contact",
        "Working with interpreters in a trauma-informed way",
    ],
    "training-and-learning": [
        "Fitting e-learning into a shift pattern",
        "Opening Doors as a team discussion starter",
        "Trauma Enhanced: what did you find most useful?",
        "STILT for leaders: worth the time?",
        "Sowing Seeds with children's services staff",
        "Recording CPD from the portal's modules",
        "Lunch-and-learn ideas",
        "Does anyone run the skilled modules as a group?",
    ],
    "housing-practice": [
        "Trauma-informed tenancy sign-ups",
        "Eviction prevention conversations",
        "Hostel rules that feel less like punishment",
    ],
    "cohort-3-space": [
        "Action learning set: dates for spring",
        "Our improvement plans, first drafts",
        "Notes from the February session",
    ],
}
REPLIES = [
    "Thank you for sharing this. We tried something similar and saw the same thing.",
    "This is really helpful. Could you say a bit more about how you started?",
    "We found it helped to ask people what would make the next visit easier.",
    "Our team uses the five principles as a checklist at the end of each meeting.",
    "I would add: give people time, and say what happens next before each step.",
    "Agree. Small changes to wording made more difference than we expected.",
    "We asked people with lived experience to review it with us, and paid them for their time.",
    "Has anyone measured the difference? We are trying to show it to our board.",
    "Welcome! Lovely to have you here.",
    "We had the same worry. Starting small with one team worked for us.",
]


def _profile_for(user: User, name: str, *, sector: Sector | None, area: CouncilArea | None) -> CommunityProfile:
    profile = CommunityProfile.objects.filter(user=user).first()
    if profile is None:
        profile = membership.profile_create(
            user=user,
            display_name=name,
            sector=sector,
            council_area=area,
            role=Role.objects.filter(slug="practitioner").first(),
            listed_in_directory=True,
        )
    if profile.guidelines_version_id is None:
        profile = membership.guidelines_accept(profile=profile, version=membership.latest_guidelines())
    return membership.member_approve(profile=profile)


NEWCOMER = ("sam@members.example.org", "Sam Newcomer", "third-sector", "north-lanarkshire")


def _flag(post: Post, member: User, reason: str, note: str) -> None:
    """An open flag as flags.flag_create leaves it (the post's open-flag count too), without telling anyone."""
    Flag.objects.create(post=post, member=member, reason=reason, note=note)
    Post.objects.filter(pk=post.pk).update(flag_count=F("flag_count") + 1)


def _held_reply(topic: Topic, author: User, body: str) -> Post:
    """A reply waiting for a moderator, numbered as posting._post_add numbers it (not counted until approved)."""
    with transaction.atomic():
        locked = Topic.objects.select_for_update().get(pk=topic.pk)
        html, _ = posting.render(body, author=author)
        post = Post.objects.create(
            topic=locked,
            number=locked.last_post_number + 1,
            author=author,
            body_markdown=body,
            body_html=html,
            status=Post.Status.HELD,
        )
        Topic.objects.filter(pk=locked.pk).update(last_post_number=post.number)
    return post


def _moderators_work(people: list[User], categories: dict[str, Category], newcomer: User) -> None:
    replies = list(
        Post.objects.filter(topic__category=categories["questions"], number__gt=1, status=Post.Status.VISIBLE)
        .select_related("topic")
        .order_by("pk")[:2]
    )
    for post, reason, note in zip(
        replies,
        [Flag.Reason.NEEDS_SUPPORT, Flag.Reason.UNKIND],
        ["They sound worn out. Could someone check in with them?", "This felt dismissive of the question."],
        strict=False,
    ):
        flagger = next(person for person in people if person.pk not in (post.author_id, post.topic.author_id))
        _flag(post, flagger, reason, note)
    welcome = Topic.objects.filter(category=categories["introductions"]).order_by("pk").first()
    if welcome is not None:
        _held_reply(welcome, newcomer, "Hello! I have just joined from a family support charity in North Lanarkshire.")


def seed(*, stdout, show_passwords: bool) -> None:
    # Replies between demo accounts show in their bells; nobody is emailed about made-up conversations.
    with emails_withheld():
        _seed(stdout=stdout, show_passwords=show_passwords)


def _seed(*, stdout, show_passwords: bool) -> None:
    rng = random.Random(9)  # noqa: S311 - made-up demo content, not secrets
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    areas = {area.slug: area for area in CouncilArea.objects.all()}

    people: list[User] = []
    for email, *_ in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is not None:
            _profile_for(user, user.display_name or email, sector=user.sector, area=user.council_area)
            people.append(user)
    for email, name, sector, area in PEOPLE:
        user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        _profile_for(user, name, sector=sectors.get(sector), area=areas.get(area))
        people.append(user)
    email, name, sector, area = NEWCOMER  # a new member, not in the groups: their first post waits
    newcomer, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        newcomer.set_unusable_password()
        newcomer.save(update_fields=["password"])
    _profile_for(newcomer, name, sector=sectors.get(sector), area=areas.get(area))

    made_groups = {}
    for slug, name, kind, description in GROUPS:
        made_groups[slug], _ = Group.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "description": description}
        )
    categories = {}
    for order, (slug, name, description, group_slug) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "order": order,
                "group": made_groups.get(group_slug) if group_slug else None,
            },
        )
    # Group members: everyone in the open group, half in the private cohort (the demo learner and moderator among
    # them), a request to join the justice group waiting.
    learner = next((u for u in people if u.email == "learner@example.org"), people[0])
    for user in people:
        groups.group_member_add(group=made_groups["housing-and-homelessness"], user=user)
    cohort = [*people[::2], learner]
    for user in cohort:
        groups.group_member_add(group=made_groups["champions-cohort-3"], user=user)
    groups.group_join(group=made_groups["justice-workforce"], user=people[-1], message="I work in community justice.")

    if Topic.objects.filter(Q(category__in=categories.values())).exists():
        stdout.write("Demo community: already there.")
        return
    count = 0
    for slug, titles in TOPICS.items():
        category = categories[slug]
        writers = cohort if category.group_id == made_groups["champions-cohort-3"].pk else people
        for title in titles:
            author = rng.choice(writers)
            topic_kind = Topic.Kind.QUESTION if slug == "questions" else Topic.Kind.DISCUSSION
            body = f"{title}.\n\nI would love to hear how others approach this in their own service."
            topic = posting.topic_create(author=author, category=category, title=title, body=body, kind=topic_kind)
            posts = []
            for _ in range(rng.randint(1, 6)):
                replier = rng.choice([u for u in writers if u != author] or writers)
                posts.append(posting.post_reply(author=replier, topic=topic, body=rng.choice(REPLIES)))
            for post in posts:
                for reactor in rng.sample(writers, k=min(3, len(writers))):
                    if reactor.pk != post.author_id:
                        reactions.reaction_toggle(
                            post=post, member=reactor, kind=rng.choice(["thanks", "helpful", "support"])
                        )
            if topic_kind == Topic.Kind.QUESTION and posts:
                posting.answer_accept(topic=topic, post=posts[0])
            count += 1
    # One post about a sensitive subject, behind its content note, and a mention.
    sharing = Topic.objects.filter(category=categories["sharing-practice"]).order_by("pk").first()
    if sharing is not None:
        posting.post_reply(
            author=people[1],
            topic=sharing,
            body="A young person told us how a letter brought back memories of being taken into care. "
            "We now ask, before writing, how people would like to hear from us. "
            "@morven-reid, this builds on your post.",
            content_note="Mentions childhood trauma and care experience",
        )
    _moderators_work(people, categories, newcomer)
    stdout.write(
        f"Demo community: {len(CATEGORIES)} categories, {len(GROUPS)} groups, {count} topics, "
        "2 flagged posts and 1 post waiting for the moderators."
    )
