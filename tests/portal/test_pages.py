"""The site shell: every page answers, uses the shell, and offers the quick exit and support."""

import pytest
from django.urls import reverse

PAGES = [
    ("portal:home", "pages/home.html"),
    ("portal:about", "pages/about.html"),
    ("portal:support", "pages/support.html"),
    ("portal:accessibility", "pages/accessibility.html"),
    ("portal:privacy", "pages/privacy.html"),
    ("portal:cookies", "pages/cookies.html"),
    ("portal:contact", "pages/contact.html"),
    ("training:landing", "training/landing.html"),
    ("community:landing", "community/front_page.html"),
    ("pledges:landing", "pledges/landing.html"),
    ("champions:landing", "champions/landing.html"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "template"), PAGES)
def test_page_renders_in_the_shell(client, url_name, template):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'id="quick-exit"' in html
    assert html.index('class="ds_skip-links__link"') < html.index('id="quick-exit"') < html.index("ds_site-header")
    assert "Get support now" in html
    assert "design-system/css/design-system.min.css" in html
    for word in ("lorem", "TODO"):
        assert word not in html


@pytest.mark.django_db
def test_home_page_question_about_levels_links_to_the_level_finder(client):
    html = client.get(reverse("portal:home")).content.decode()

    question = html.index("Which practice level is right for you?")
    finder = html.index(f'href="{reverse("training:level-finder")}"', question)
    assert finder < html.index("</main>")


@pytest.mark.django_db
def test_navigation_marks_the_current_section(client):
    """The navigation is a shell fragment rendered once per process and section: each section still gets its own."""
    current = 'class="ds_site-navigation__link ds_current" aria-current="true">{}<'
    for name, label in (
        ("training:landing", "Training"),
        ("pledges:landing", "Pledge"),
        ("training:landing", "Training"),
    ):
        html = client.get(reverse(name)).content.decode()
        assert html.count(current.format(label)) == 2  # the main navigation and the one for small screens
        assert html.count('aria-current="true"') == 2
    html = client.get(reverse("portal:support")).content.decode()
    assert 'aria-current="true"' not in html


def test_shell_fragments_follow_the_settings(client, settings):
    """A fragment's key holds the shell's settings, so a changed setting is never served from an old copy."""
    from portal.templatetags.portal_shell import shell_fragment

    first = shell_fragment("includes/quick_exit.html")
    settings.QUICK_EXIT_URL = "https://example.org/elsewhere"
    second = shell_fragment("includes/quick_exit.html")
    assert "https://example.org/elsewhere" in second and "https://example.org/elsewhere" not in first


@pytest.mark.django_db
def test_about_lists_the_levels_and_principles_from_reference_data(client, django_assert_max_num_queries):
    """Guards against a query per level or principle."""
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:about"))
    html = response.content.decode()
    for name in ("Trauma Informed", "Trauma Skilled", "Trauma Enhanced", "Trauma Specialist"):
        assert name in html
    for name in ("Safety", "Trust", "Choice", "Collaboration", "Empowerment"):
        assert name in html


@pytest.mark.django_db
def test_header_shows_sign_in_or_account_links(client, user):
    html = client.get("/").content.decode()
    assert reverse("account_login") in html and "Create an account" in html
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Your account" in html and "Sign out" in html and "Create an account" not in html


@pytest.mark.django_db
def test_missing_page_is_a_kind_404_in_the_shell(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert 'id="quick-exit"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("view", "status", "words"), [
    ("error_400", 400, "Something went wrong with that request"),
    ("error_403", 403, "This page is not available to you"),
])  # fmt: skip
def test_error_pages(rf, view, status, words):
    from django.contrib.auth.models import AnonymousUser

    from portal import views

    request = rf.get("/x/")
    request.user = AnonymousUser()
    response = getattr(views, view)(request)
    assert response.status_code == status
    assert words in response.content.decode()


def test_server_error_page_stands_alone(rf):
    from portal import views

    response = views.error_500(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "This is our fault, not yours" in html
    assert "Leave this site" in html


def test_favicon_ico_points_at_the_portal_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


@pytest.mark.django_db
def test_the_admin_link_is_offered_to_staff_accounts_only(client):
    from tests.factories import StaffFactory, UserFactory

    admin_link = f'href="{reverse("admin:index")}"'
    for user, shown in [(UserFactory(), False), (UserFactory(groups=["IS admins"]), False), (StaffFactory(), True)]:
        client.force_login(user)
        assert (admin_link in client.get(reverse("portal:home")).content.decode()) is shown, user
