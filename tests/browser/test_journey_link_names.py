"""Links whose visible text is completed by visually hidden words ("Continue where you left off" in which module)
have clean accessible names. A visually hidden span is positioned absolutely, so browsers put a space before it:
text in it starting with a colon was read as "left off : Module"."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from training import demo_learning
from training.learning import services as learning_services
from training.models import Module, ModuleProgress

pytestmark = pytest.mark.browser


def test_my_learning_module_links_have_no_stray_space_in_their_names(open_page, signed_in_user, page_problems):
    demo_learning.seed(stdout=io.StringIO())
    module = Module.objects.select_related("resource").get(resource__slug=demo_learning.MODULE_SLUG)
    title = module.resource.title
    ModuleProgress.objects.create(user=signed_in_user, module=module, current_step=module.steps.order_by("order")[1])

    page = open_page(user=signed_in_user)
    page.goto(reverse("training:my-learning"))
    link = page.get_by_role("link", name=f"Continue where you left off in {title}", exact=True)
    assert link.count() == 1
    assert " :" not in page.locator("main").aria_snapshot()

    progress = ModuleProgress.objects.get(user=signed_in_user, module=module)
    progress.completed_at = timezone.now()
    progress.save()
    certificate = learning_services.certificate_issue(progress=progress)
    learning_services.certificate_rename(certificate=certificate, learner_name="Morag MacLeod")
    page.reload()
    assert page.get_by_role("link", name=f"Download PDF certificate for {title}", exact=True).count() == 1
    assert " :" not in page.locator("main").aria_snapshot()
    page_problems.assert_none()
