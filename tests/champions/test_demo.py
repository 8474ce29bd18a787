"""The demo network reads as real records would: seen while walking the demo in a browser, organisation names said
"NHS NHS Lothian", every demo champion's history said "Added (demo)" twice, and the demo champion's space had no link
to their cohort's private community group, as the seed wrote the records without telling the community."""

import io

import pytest
from django.urls import reverse

from champions import demo as champions_demo
from champions.models import Champion
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_the_demo_network_reads_as_real_records_would(client):
    portal_demo.seed(stdout=io.StringIO(), show_passwords=False)
    champions_demo.seed(stdout=io.StringIO(), show_passwords=False)
    champions_demo.seed(stdout=io.StringIO(), show_passwords=False)  # safe to run again

    names = list(Champion.objects.values_list("organisation_name", flat=True))
    assert names and not [name for name in names if "NHS NHS" in name]
    assert any(name.startswith("NHS ") for name in names)
    for champion in Champion.objects.all():
        assert [h.history_change_reason for h in champion.history.all()].count("Added (demo)") == 1, champion.name

    me = Champion.objects.get(user__email=champions_demo.DEMO_CHAMPION_EMAIL)
    client.force_login(me.user)
    text = client.get(reverse("champions:space")).content.decode()
    cohort = me.cohorts.order_by("-starts_on").first()
    assert f"The {cohort.name} group in the community</a>" in text
