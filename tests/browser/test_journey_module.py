"""E-learning in a real browser: a learner starts the demo module, takes a break halfway, comes back on another
device to the same step, passes the knowledge check, downloads the certificate and checks it; the same kind of
module done with the keyboard alone; and an axe scan of every e-learning page that needs a module, step or
certificate to exist."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from training import demo_learning
from training.models import Certificate, Module, ModuleProgress, Option, Reflection, Step

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/portal-journey-module"


@pytest.fixture
def demo_module(live_server, django_db_serialized_rollback) -> Module:
    """The demo module from seed_demo: seven steps with a reflection, a video, a check and a content warning."""
    demo_learning.seed(stdout=io.StringIO())
    return Module.objects.select_related("resource").get(resource__slug=demo_learning.MODULE_SLUG)


def choose(page, answer: str) -> None:
    """Click an answer's label, as a person does: the design system draws its own radio over the real one."""
    page.locator("label.ds_radio__label").filter(has_text=re.compile(f"^{re.escape(answer)}$")).click()


def step_path(module: Module, step: Step) -> str:
    return reverse("training:module-step", args=[module.resource.slug, step.pk])


def test_a_learner_leaves_halfway_comes_back_on_another_device_passes_and_gets_a_certificate(
    demo_module, open_page, signed_in_user, page_problems, axe
):
    steps = list(demo_module.steps.order_by("order"))
    laptop = open_page(user=signed_in_user)

    # The page about the module -> the content warning -> the module's front page -> Start
    laptop.goto(reverse("training:module-start", args=[demo_module.resource.slug]))
    assert laptop.get_by_role("heading", level=2, name=re.compile("upsetting")).is_visible()
    assert laptop.get_by_role("link", name="Come back later").is_visible()
    assert laptop.get_by_role("link", name="Get support now").first.is_visible()
    laptop.screenshot(path=f"{SCREENSHOTS}-1-warning.png", full_page=True)
    laptop.get_by_role("button", name="Continue to the module").click()
    laptop.get_by_role("button", name="Start module").click()
    laptop.wait_for_url(f"**{step_path(demo_module, steps[0])}")
    assert "Step 1 of 7" in laptop.get_by_role("main").inner_text()

    # Steps 1 to 3, then "Take a break" on the reflection with a thought half-written
    laptop.get_by_role("button", name="Continue to step 2").click()
    laptop.wait_for_url(f"**{step_path(demo_module, steps[1])}")
    assert laptop.get_by_text("The video for this step is coming soon").is_visible()
    laptop.get_by_role("button", name="Continue to step 3").click()
    laptop.wait_for_url(f"**{step_path(demo_module, steps[2])}")
    laptop.get_by_role("button", name="Continue to step 4").click()
    laptop.wait_for_url(f"**{step_path(demo_module, steps[3])}")
    laptop.get_by_label("Your thoughts").fill("We could offer people a choice of where to sit.")
    laptop.screenshot(path=f"{SCREENSHOTS}-2-reflection.png", full_page=True)
    laptop.get_by_role("button", name="Take a break").click()
    laptop.wait_for_url("**/break/")
    assert "Your place is saved" in laptop.get_by_role("main").inner_text()
    assert "step 4 of 7" in laptop.get_by_role("main").inner_text()
    laptop.context.close()

    # Another device: My learning -> Continue where you left off -> the warning again (new session) -> step 4
    phone = open_page(user=signed_in_user, viewport={"width": 390, "height": 844})
    phone.goto(reverse("training:my-learning"))
    phone.get_by_role("link", name=re.compile("Continue where you left off")).click()
    phone.get_by_role("button", name="Continue to the module").click()
    phone.wait_for_url(f"**{step_path(demo_module, steps[3])}")
    assert phone.get_by_label("Your thoughts").input_value() == "We could offer people a choice of where to sit."
    assert "Step 4 of 7" in phone.get_by_role("main").inner_text()
    phone.screenshot(path=f"{SCREENSHOTS}-3-resumed-on-phone.png", full_page=True)
    phone.get_by_role("button", name="Continue to step 5").click()
    phone.get_by_role("button", name="Continue to step 6").click()
    phone.get_by_role("button", name="Continue to step 7").click()
    phone.wait_for_url(f"**{step_path(demo_module, steps[6])}")

    # The knowledge check: the right answer to each question
    for option in Option.objects.filter(question__step=steps[6], is_correct=True):
        choose(phone, option.text)
    phone.screenshot(path=f"{SCREENSHOTS}-4-check.png", full_page=True)
    phone.get_by_role("button", name="Check my answers").click()
    phone.wait_for_url("**/result/")
    assert "You passed the knowledge check" in phone.get_by_role("main").inner_text()
    phone.screenshot(path=f"{SCREENSHOTS}-5-result.png", full_page=True)
    phone.get_by_role("link", name="Continue").click()
    phone.wait_for_url("**/complete/")
    assert phone.get_by_role("heading", level=1).inner_text() == "You have completed the module"

    # The certificate: first the name to print on it (the community name may be a pseudonym), then a PDF download,
    # then its public check page
    phone.get_by_role("link", name="Add your name and get your certificate").click()
    phone.get_by_label("Your name as it should appear on the certificate").fill("Morag MacLeod")
    phone.get_by_role("button", name="Save the name").click()
    phone.wait_for_url("**/complete/")
    assert "Your certificate is ready to download" in phone.locator("body").inner_text()
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Download your certificate").click()
    download = download_info.value
    certificate = Certificate.objects.get(user=signed_in_user)
    assert download.suggested_filename == f"certificate-{certificate.code}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # Chromium reports a navigation that turns into a download as aborted; the harness ignores ERR_ABORTED.
    phone.get_by_role("link", name="the certificate's page on this site").click()
    phone.wait_for_url(f"**/training/certificates/{certificate.code}/")
    main = phone.get_by_role("main").inner_text()
    assert "This certificate is genuine" in main
    assert "Morag MacLeod" in main
    assert "Trauma-informed practice: the essentials" in main
    assert signed_in_user.email not in main
    phone.screenshot(path=f"{SCREENSHOTS}-6-verified.png", full_page=True)

    assert ModuleProgress.objects.get(user=signed_in_user).completed_at is not None
    assert Reflection.objects.filter(user=signed_in_user).count() == 1
    page_problems.assert_none()
    axe.assert_no_violations(phone)


def tab_to(page, pattern: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text matches `pattern` (a regular expression)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const e = document.activeElement; if (!e) return '';"
            " if (e.labels && e.labels.length) return e.labels[0].innerText.trim();"
            " return (e.innerText || e.getAttribute('aria-label') || '').trim(); }"
        )
        if re.search(pattern, text):
            return
    raise AssertionError(f"Tab never reached an element matching {pattern!r} on {page.url}")


def test_keyboard_only_through_a_module(open_page, signed_in_user, live_server, django_db_serialized_rollback):
    """Tab, Enter and Space only (and typing a reflection): no mouse, from the warning to the certificate."""
    from tests.training.learning_helpers import make_module

    # Each check question's right answer comes first, so Space on the first radio in a group chooses it: with Tab
    # and Space alone, that is the one a keyboard user can reach without arrow keys.
    module = make_module(
        title="Keyboard module", kinds=("reading", "reflection", "check"), questions=2, content_warning="Mentions harm."
    )
    page = open_page(user=signed_in_user)
    page.goto(reverse("training:module-start", args=[module.resource.slug]))

    tab_to(page, r"^Continue to the module")
    page.keyboard.press("Enter")  # a button (the choice is remembered): back to the module's front page
    page.get_by_role("heading", name="What the module covers").wait_for()
    tab_to(page, r"^Start module")
    page.keyboard.press("Enter")  # a button: Enter presses it
    page.wait_for_url("**/steps/*/")
    assert "Step 1 of 3" in page.get_by_role("main").inner_text()

    tab_to(page, r"^Continue to step 2")
    page.keyboard.press("Space")
    page.wait_for_function("document.title.includes('step 2 of 3')")
    tab_to(page, r"Your thoughts")
    page.keyboard.type("Typed with the keyboard.")
    tab_to(page, r"^Continue to step 3")
    page.keyboard.press("Enter")
    page.wait_for_function("document.title.includes('step 3 of 3')")

    for _question in (1, 2):
        tab_to(page, r"^Right$")
        page.keyboard.press("Space")
    assert page.locator("input[type=radio]:checked").count() == 2
    tab_to(page, r"^Check my answers")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result/")
    assert "You passed the knowledge check" in page.get_by_role("main").inner_text()
    page.screenshot(path=f"{SCREENSHOTS}-keyboard-result.png", full_page=True)
    tab_to(page, r"^Continue$")
    page.keyboard.press("Enter")
    page.wait_for_url("**/complete/")
    assert page.get_by_role("heading", level=1).inner_text() == "You have completed the module"
    assert Reflection.objects.get(user=signed_in_user).text == "Typed with the keyboard."
    assert Certificate.objects.filter(user=signed_in_user, module=module).exists()


# Pages that need a module, step, result or certificate: scanned here with their own data ----------------------


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_elearning_pages_have_no_accessibility_violations(demo_module, open_page, axe, page_problems, signed_in):
    from training.models import ExternalCompletion, Pathway, PathwayItem, Resource

    user = UserFactory() if signed_in else None
    page = open_page(user=user)
    slug = demo_module.resource.slug
    steps = list(demo_module.steps.order_by("order"))
    external = Resource.objects.create(
        title="Developing your trauma skilled practice",
        slug="developing-your-trauma-skilled-practice",
        summary="On Turas Learn.",
        description="Elsewhere.",
        format="elearning",
        duration_minutes=90,
        provider="NES",
        external_url="https://learn.example.org/",
        external_site_name="Turas Learn",
        published_at=timezone.now(),
    )
    pathway = Pathway.objects.create(
        title="Trauma Skilled", slug="skilled", summary="Next.", published_at=timezone.now()
    )
    PathwayItem.objects.create(pathway=pathway, resource=demo_module.resource, order=1)
    PathwayItem.objects.create(pathway=pathway, resource=external, order=2)

    warning = reverse("training:module-start", args=[slug])
    page.goto(warning)
    axe.assert_no_violations(page)  # the content warning
    page.get_by_role("button", name="Continue to the module").click()  # remembered for the session, by a POST
    page.get_by_role("heading", name="What the module covers").wait_for()
    paths = [warning]  # now the module's front page
    paths += [step_path(demo_module, step) for step in steps]  # reading, video, reflection, check
    paths.append(reverse("training:pathway-detail", args=[pathway.slug]))
    if signed_in:
        paths.append(reverse("training:external-completion", args=[external.slug]))
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.url.endswith(path), f"{path} went to {page.url}"  # not sent back to the warning
        axe.assert_no_violations(page)

    # The knowledge check with a mistake: the error summary; then a wrong answer's result page
    check = steps[-1]
    page.goto(step_path(demo_module, check))
    page_problems.assert_none()
    page.get_by_role("button", name="Check my answers").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    axe.assert_no_violations(page)
    # The step answers 400 on purpose (nothing was saved); the harness would count that status as a failed request.
    assert page_problems.failed_requests
    assert all(line.startswith("400 POST") and "/steps/" in line for line in page_problems.failed_requests)
    assert all("status of 400" in line for line in page_problems.console_errors)
    page_problems.clear()
    for question in check.questions.all():
        choose(page, question.options.filter(is_correct=False).first().text)
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_url("**/result/")
    axe.assert_no_violations(page)
    page.goto(step_path(demo_module, steps[0]))
    page.get_by_role("button", name="Take a break").click()
    page.wait_for_url("**/break/")
    axe.assert_no_violations(page)
    page.goto(reverse("training:module-complete", args=[slug]))
    axe.assert_no_violations(page)  # "Nearly there"

    # A step of another module: the kind not-found page
    response = page.goto(reverse("training:module-step", args=[slug, 999999]))
    assert response.status == 404
    axe.assert_no_violations(page)

    if signed_in:
        page.goto(reverse("training:module-start", args=[slug]) + "?continue=1")
        ModuleProgress.objects.filter(user=user).delete()
        progress = ModuleProgress.objects.create(user=user, module=demo_module, completed_at=timezone.now())
        Reflection.objects.create(user=user, step=steps[3], text="A thought.")
        ExternalCompletion.objects.create(user=user, resource=external, completed_on=timezone.localdate())
        from training.learning.services import certificate_issue, certificate_rename

        certificate = certificate_issue(progress=progress)
        for path in (  # before the learner has put their name on the certificate
            reverse("training:module-complete", args=[slug]),
            reverse("training:certificate-name", args=[certificate.code]),
        ):
            response = page.goto(path)
            assert response.status == 200, path
            axe.assert_no_violations(page)
        certificate_rename(certificate=certificate, learner_name="A. Learner")
        for path in (
            reverse("training:module-complete", args=[slug]),
            reverse("training:certificate-verify", args=[certificate.code]),
            reverse("training:my-learning"),
            reverse("training:reflection-delete", args=[Reflection.objects.get(user=user).pk]),
            reverse("training:pathway-detail", args=[pathway.slug]),
        ):
            response = page.goto(path)
            assert response.status == 200, path
            axe.assert_no_violations(page)
        page.screenshot(path=f"{SCREENSHOTS}-my-learning.png", full_page=True)
    page_problems.assert_none(expected_document_status=404)
