"""The invitation connects only an account that has confirmed the address it was sent to: a forwarded link is no use
to anyone else, and they are told kindly what to do."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from champions.models import Champion
from champions.services.invitations import mask_address
from tests.champions.helpers import make_champion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(client, is_admin, mailoutbox, django_capture_on_commit_callbacks):
    champion = make_champion(by=is_admin, email="morag.macleod@fife.example.org")
    client.force_login(is_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("champions:admin-champion-invite", args=[champion.pk]))
    client.logout()
    path = re.search(r"https?://[^/\s]+(/champions/join/\S+/)", mailoutbox[-1].body).group(1)
    return champion, path


def test_the_address_is_masked_but_recognisable():
    assert mask_address("morag.macleod@fife.example.org") == "mo•••@fife.example.org"
    assert mask_address("al@x.org") == "a•••@x.org"


def test_another_account_holding_the_link_cannot_connect_and_is_told_what_to_do(client, invitation):
    champion, path = invitation
    stranger = UserFactory(email="someone.else@example.org")
    client.force_login(stranger)
    page = client.get(path).content.decode()
    assert "This invitation is for another email address" in page
    assert "mo•••@fife.example.org" in page and "morag.macleod@" not in page
    assert "Connect this account</button>" not in page and "ask the Improvement Service" in page
    response = client.post(path)
    assert response.status_code == 403 and "mo•••@fife.example.org" in response.content.decode()
    assert Champion.objects.get(pk=champion.pk).user is None


def test_an_unconfirmed_matching_address_is_not_enough(client, invitation):
    champion, path = invitation
    user = UserFactory(email="other@example.org")
    EmailAddress.objects.create(user=user, email="morag.macleod@fife.example.org", verified=False)
    client.force_login(user)
    assert client.post(path).status_code == 403
    assert Champion.objects.get(pk=champion.pk).user is None


def test_a_confirmed_second_address_in_another_case_connects(client, invitation):
    champion, path = invitation
    user = UserFactory(email="morag.personal@example.org")
    EmailAddress.objects.create(user=user, email="Morag.MacLeod@Fife.Example.org", verified=True)
    client.force_login(user)
    assert "Connect this account</button>" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("champions:space")
    assert Champion.objects.get(pk=champion.pk).user == user
