import io
import json
import zipfile

from bpd.audit import services as audit
from bpd.audit.models import Entry
from bpd.members.models import Connection, Profile, User
from bpd.members.roles import Role
from tests.factories import ProfileFactory, UserFactory


def test_download_my_data_zip_holds_everything(client, db):
    profile = ProfileFactory(display_name="Nia", bio="I teach Python", pronouns="she/her")
    Connection.objects.create(user=profile.user, provider="github", external_id="1", username="nia")
    audit.log(
        actor=UserFactory(),
        verb="member.private_viewed",
        subject=profile.user,
        person=profile.user,
        fields=["city"],
        context="test",
    )
    client.force_login(profile.user)

    response = client.post("/members/my-data/")

    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data.json", "data.md"]
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == profile.user.email
    assert data["account"]["consents"]["code_of_conduct_accepted_at"]
    assert data["profile"]["display_name"] == "Nia"
    assert data["profile"]["bio"] == "I teach Python"
    assert data["connections"][0]["username"] == "nia"
    assert data["activity"]["staff_access_to_your_private_fields"][0]["fields"] == "city"
    readable = archive.read("data.md").decode()
    assert "Nia" in readable
    assert profile.user.email in readable


def test_export_holds_no_one_elses_data(client, db):
    mine = ProfileFactory(display_name="Mine")
    ProfileFactory(display_name="Someone else", user__email="else@example.com")
    client.force_login(mine.user)

    content = client.post("/members/my-data/").content
    archive = zipfile.ZipFile(io.BytesIO(content))

    everything = archive.read("data.json").decode() + archive.read("data.md").decode()
    assert "Mine" in everything
    assert mine.user.email in everything
    assert "Someone else" not in everything
    assert "else@example.com" not in everything


def test_delete_account_without_the_box_ticked_deletes_nothing_and_says_why(client, db):
    profile = ProfileFactory()
    client.force_login(profile.user)

    response = client.post("/members/delete/", {"published": "remove"})

    assert response.status_code == 200
    assert User.objects.filter(pk=profile.user.pk).exists()
    assert not Entry.objects.filter(verb="member.account_deleted").exists()
    assert "Tick the box to confirm, or go back." in response.text
    assert 'class="error-summary"' in response.text


def test_delete_account_page_asks_to_tick_a_box(client, db):
    client.force_login(ProfileFactory().user)

    html = client.get("/members/delete/").text

    assert '<input type="checkbox" name="confirm"' in html
    assert 'class="danger"' in html


def test_delete_account_removes_personal_data_and_logs_anonymously(client, db):
    profile = ProfileFactory(
        user__email="leaving@example.com", display_name="Leaving", roles=["data"]
    )
    profile.user.groups.add(*UserFactory(roles=[Role.LEADER]).groups.all())
    Connection.objects.create(user=profile.user, provider="discord", external_id="9", username="lv")
    client.force_login(profile.user)

    response = client.post("/members/delete/", {"published": "anonymise", "confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(email="leaving@example.com").exists()
    assert not Profile.objects.filter(display_name="Leaving").exists()
    assert not Connection.objects.exists()
    log = Entry.objects.get(verb="member.account_deleted").detail
    assert log["published_choice"] == "anonymise"
    assert "leader" in log["roles"]
    stored = json.dumps(list(Entry.objects.values_list("actor_label", "subject_label", "detail")))
    assert "leaving" not in stored.lower()
    assert client.get("/members/").status_code == 302  # signed out
