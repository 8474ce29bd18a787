"""CSV imports of champions and attendance: upload, a preview of every row with its errors, fixing wrong rows on the
preview, and one transaction on confirm. Nothing is saved before the confirmation."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from champions.imports import KINDS, build_preview
from champions.models import Attendance, Champion
from champions.services import imports
from tests.champions.helpers import make_champion, make_cohort, make_session

pytestmark = pytest.mark.django_db

HEADER = "Name,Job title,Email,Organisation,Organisation type,Council areas,NHS board,Date joined\n"


def champions_csv(count: int = 5, *, wrong: dict[int, str] | None = None) -> str:
    """`count` good rows; `wrong` replaces row n (1-based data row) with the given line."""
    lines = [
        f"Person {n},Head of Service,person{n}@council.example.org,Council {n},Local authority,"
        f"Fife; Angus,NHS Fife,0{1 + n % 9}/03/2024"
        for n in range(1, count + 1)
    ]
    for n, line in (wrong or {}).items():
        lines[n - 1] = line
    return HEADER + "\n".join(lines) + "\n"


def upload(client, text: str, kind: str = "champions", name: str = "champions.csv"):
    return client.post(
        reverse("champions:admin-import", args=[kind]),
        {"file": SimpleUploadedFile(name, text.encode(), "text/csv")},
    )


def preview_url(kind: str = "champions") -> str:
    return reverse("champions:admin-import-preview", args=[kind])


def test_a_preview_shows_every_row_and_its_errors_and_saves_nothing(client, is_admin):
    make_champion(by=is_admin, email="taken@council.example.org")
    client.force_login(is_admin)
    text = champions_csv(
        6,
        wrong={
            2: "Person 2,Lead,not-an-email,Council,Local authority,Fife,,",
            4: "Person 4,Lead,taken@council.example.org,Council,Space agency,Atlantis,,31/02/2024",
        },
    )

    response = upload(client, text)
    assert response.status_code == 302 and response["Location"] == preview_url()
    page = client.get(preview_url())

    body = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: Check the champions before saving" in body
    assert "2 rows need a change" in body
    assert "Row 3, Email: This does not look like an email address" in body
    assert "Row 5, Email: A champion with this email address is already in the network." in body
    assert "Row 5, Organisation type: We do not recognise this type of organisation" in body
    assert "Row 5, Council areas: We do not recognise the council area Atlantis" in body
    assert "Row 5, Date joined: We could not read this date" in body
    assert body.count("<td>Ready</td>") == 4
    assert 'name="action" value="confirm"' not in body  # no confirming while rows need a change
    assert Champion.objects.count() == 1


def test_wrong_rows_fixed_on_the_preview_then_confirmed_are_saved_at_once(client, is_admin):
    client.force_login(is_admin)
    upload(
        client,
        champions_csv(
            40,
            wrong={
                7: "Person 7,Lead,person7-at-council,Council 7,Local authority,Fife,,",
                30: "Person 30,Lead,person30@council.example.org,Council 30,Local authority,Fyfe,,",
            },
        ),
    )

    # The admin corrects both rows on the preview (row numbers count the header as row 1).
    fixed = {f"r8-{name}": value for name, value in _row(7, email="person7@council.example.org").items()}
    fixed.update({f"r31-{name}": value for name, value in _row(30, council_areas="Fife").items()})
    response = client.post(preview_url(), {"action": "check", **fixed})
    assert response.status_code == 302
    assert Champion.objects.count() == 0  # checking saves nothing
    page = client.get(preview_url()).content.decode()
    assert "need a change" not in page and "Add 40 champions" in page

    response = client.post(preview_url(), {"action": "confirm"})

    assert response.status_code == 302 and response["Location"] == reverse("champions:admin-champion-list")
    assert Champion.objects.count() == 40
    seven = Champion.objects.get(email="person7@council.example.org")
    assert [area.slug for area in Champion.objects.get(name="Person 30").council_areas.all()] == ["fife"]
    assert seven.health_board is None and seven.history.first().history_change_reason == "Added"
    assert Champion.objects.get(name="Person 1").health_board.slug == "nhs-fife"
    assert Champion.objects.get(name="Person 1").date_joined == datetime.date(2024, 3, 2)
    assert client.get(preview_url()).status_code == 302  # the preview is gone once saved


def _row(n: int, **changes: str) -> dict[str, str]:
    row = {
        "name": f"Person {n}",
        "job_title": "Lead",
        "email": f"person{n}@council.example.org",
        "phone": "",
        "organisation_name": f"Council {n}",
        "organisation_type": "Local authority",
        "council_areas": "Fife",
        "health_board": "",
        "partnership": "",
        "date_joined": "",
        "notes": "",
    }
    row.update(changes)
    return row


def test_a_row_emptied_on_the_preview_is_left_out(client, is_admin):
    client.force_login(is_admin)
    upload(client, champions_csv(3, wrong={2: "Someone,,,,,,,"}))

    client.post(preview_url(), {"action": "check"})  # every field of row 3 sent empty
    page = client.get(preview_url()).content.decode()

    assert "Left out at your request: row 3." in page
    client.post(preview_url(), {"action": "confirm"})
    assert sorted(Champion.objects.values_list("name", flat=True)) == ["Person 1", "Person 3"]


def test_the_same_address_twice_in_a_file_is_caught(is_admin):
    text = champions_csv(3, wrong={3: "Again,Lead,PERSON1@council.example.org,Council,Local authority,Fife,,"})

    preview = build_preview(KINDS["champions"], text)

    assert [(e.row, e.column) for e in preview.rows[2].errors] == [(4, "Email")]
    assert "Row 2 has the same email address." in preview.rows[2].errors[0].message


def test_a_clash_found_on_confirm_saves_nothing(is_admin):
    preview = build_preview(KINDS["champions"], champions_csv(3))
    make_champion(by=is_admin, email="person3@council.example.org")  # added by someone else meanwhile

    with pytest.raises(imports.ImportNotSaved):
        imports.champions_import(preview=preview, by=is_admin)

    assert not Champion.objects.filter(email="person1@council.example.org").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty"),
        ("Name,Email\nA,a@example.org\n", "The file has no column for: Organisation, Organisation type."),
        ("PK\x03\x04 workbook", "This looks like an Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_keeps_nothing(client, is_admin, content, message):
    client.force_login(is_admin)

    response = upload(client, content)

    body = response.content.decode()
    assert response.status_code == 400 and message in body and "<title>Error: Import champions" in body
    assert "champions-import-champions" not in client.session


def test_the_preview_without_an_upload_goes_back_to_the_upload(client, is_admin):
    client.force_login(is_admin)
    assert client.get(preview_url())["Location"] == reverse("champions:admin-import", args=["champions"])


def test_cancel_forgets_the_file(client, is_admin):
    client.force_login(is_admin)
    upload(client, champions_csv(2))
    client.post(preview_url(), {"action": "cancel"})
    assert "champions-import-champions" not in client.session and Champion.objects.count() == 0


def test_attendance_import_records_each_session_in_one_go(client, is_admin):
    a, b, outsider = (make_champion(by=is_admin) for _ in range(3))
    cohort = make_cohort(members=[a, b], name="Forth Valley set")
    session = make_session(cohort=cohort, days=-7)
    day = timezone.localtime(session.starts_at).date().strftime("%d/%m/%Y")
    client.force_login(is_admin)
    text = (
        "Cohort,Session date,Email,Attendance\n"
        f"Forth Valley set,{day},{a.email},Present\n"
        f"forth valley set,{day},{b.email},sent apologies\n"
        f"Forth Valley set,{day},{outsider.email},Present\n"
        f"No such set,{day},{a.email},Present\n"
    )

    upload(client, text, kind="attendance")
    page = client.get(preview_url("attendance")).content.decode()
    assert "This champion is not a member of this cohort." in page
    assert "We do not recognise this cohort." in page
    assert Attendance.objects.count() == 0
    # Leave the two wrong rows out, then confirm.
    client.post(preview_url("attendance"), {"action": "check"})
    client.post(preview_url("attendance"), {"action": "confirm"})

    assert dict(Attendance.objects.values_list("champion_id", "status")) == {a.pk: "present", b.pk: "apologies"}


def test_only_is_admins_with_two_step_verification_import(client, is_admin):
    from tests.factories import StaffFactory, UserFactory

    client.force_login(UserFactory())
    assert upload(client, champions_csv(1)).status_code == 404
    client.force_login(StaffFactory(groups=["IS admins"], second_factor=False))
    assert upload(client, champions_csv(1)).status_code == 302
    assert Champion.objects.count() == 0 and "champions-import-champions" not in client.session
