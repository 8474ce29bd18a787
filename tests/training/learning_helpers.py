"""Helpers for the e-learning tests: a published module with reading, video, reflection and check steps, and a few
lines to walk a client through it."""

from itertools import count

from django.urls import reverse
from django.utils import timezone

from portal.models import PracticeLevel
from training.models import Module, Option, Question, Resource, Step

_numbers = count(1)


def make_module(
    *,
    title: str | None = None,
    kinds: tuple[str, ...] = ("reading", "video", "reflection", "reading", "check"),
    questions: int = 2,
    pass_mark: int = 50,
    content_warning: str = "",
    published: bool = True,
    level: str = "trauma-informed",
) -> Module:
    """A module whose check has `questions` questions, each with a right answer (first) and a wrong one."""
    number = next(_numbers)
    title = title or f"Module {number}"
    resource = Resource.objects.create(
        title=title,
        slug=f"learning-module-{number}",
        summary=f"About {title}.",
        description="A module.",
        format="elearning",
        duration_minutes=30,
        provider="Test provider",
        content_warning=content_warning,
        published_at=timezone.now() if published else None,
    )
    resource.levels.set(PracticeLevel.objects.filter(slug=level))
    module = Module.objects.create(resource=resource, introduction="What it covers.", pass_mark=pass_mark)
    for order, kind in enumerate(kinds, start=1):
        step = Step.objects.create(
            module=module,
            order=order,
            title=f"{title} step {order}",
            kind=kind,
            body=f"Body of step {order}.",
            transcript="What the video says." if kind == "video" else "",
        )
        if kind == "check":
            for q in range(1, questions + 1):
                question = Question.objects.create(step=step, order=q, text=f"Question {q}?")
                Option.objects.create(question=question, order=1, text="Right", is_correct=True, feedback="Because.")
                Option.objects.create(question=question, order=2, text="Wrong", is_correct=False, feedback="No, as.")
    return module


def make_external(number: int, **fields) -> Resource:
    defaults = {
        "title": f"External {number}",
        "slug": f"external-{number}",
        "summary": "Elsewhere.",
        "description": "Elsewhere.",
        "format": "elearning",
        "duration_minutes": 90,
        "provider": "NES",
        "external_url": "https://learn.example.org/course",
        "external_site_name": "Turas Learn",
        "published_at": timezone.now(),
    }
    defaults.update(fields)
    return Resource.objects.create(**defaults)


def steps_of(module: Module) -> list[Step]:
    return list(module.steps.order_by("order"))


def step_url(module: Module, step: Step) -> str:
    return reverse("training:module-step", args=[module.resource.slug, step.pk])


def answers(step: Step, *, right: bool = True) -> dict[str, str]:
    """Form data answering every question of a check step, all right or all wrong."""
    data = {"action": "continue"}
    for question in step.questions.all():
        option = question.options.get(is_correct=right)
        data[f"question_{question.pk}"] = str(option.pk)
    return data


def complete_module(client, module: Module) -> None:
    """Walk a client through every step, passing the check."""
    for step in steps_of(module):
        data = answers(step) if step.kind == "check" else {"action": "continue"}
        response = client.post(step_url(module, step), data)
        assert response.status_code == 302, response.content.decode()[:2000]
