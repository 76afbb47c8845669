import io
import json
import zipfile

from bpd.members.forms import LinksForm
from bpd.members.models import Connection
from bpd.members.visibility import Visibility
from bpd.website import registry
from tests.factories import ProfileFactory
from tests.members.test_profile import form_data


def _download(client, profile, path="/members/my-data/"):
    client.force_login(profile.user)
    archive = zipfile.ZipFile(io.BytesIO(client.post(path).content))
    return json.loads(archive.read("data.json")), archive.read("data.md").decode()


# --- "Download my data": the Markdown is written for people -------------------------


def test_readable_export_names_languages_and_settings_instead_of_codes(client, db):
    profile = ProfileFactory(
        languages=["en", "ha", "yo"], name_visibility=Visibility.PUBLIC, country="GH"
    )

    _data, readable = _download(client, profile)

    assert "Hausa" in readable
    assert "Yoruba" in readable
    assert "Ghana" in readable
    assert "Who sees your name, pronouns and photo: Everyone (public)" in readable
    assert "Languages you speak: English, Hausa, Yoruba" in readable
    assert "name_visibility" not in readable
    assert "['en'" not in readable
    assert "in_expertise_directory" not in readable


def test_readable_export_titles_sections_by_label_not_code_name(client, db):
    profile = ProfileFactory()

    _data, readable = _download(client, profile)

    headings = [line for line in readable.splitlines() if line.startswith("#")]
    assert "## fund_applications" not in readable
    for part in registry.personal_data():
        assert f"## {part.name}" not in headings
    assert "## Your applications to the Black Leadership Opportunity Fund" in headings
    assert "## Emails we sent you" in headings


def test_readable_export_writes_dates_and_choices_out(client, db):
    profile = ProfileFactory(skill_level="advanced", career_status="open")
    Connection.objects.create(user=profile.user, provider="github", external_id="1", username="nia")

    _data, readable = _download(client, profile)

    joined = profile.user.date_joined
    assert joined.isoformat() not in readable
    assert str(joined) not in readable
    assert str(joined.year) in readable
    assert "Python experience: Advanced" in readable
    assert "Career status: Open to work" in readable
    assert "GitHub: nia" in readable
    assert "github:" not in readable


def test_readable_export_is_in_the_readers_language(client, db):
    profile = ProfileFactory(languages=["ha"], country="EG")

    _data, readable = _download(client, profile, "/fr/members/my-data/")

    assert "Langues que vous parlez: haoussa" in readable
    assert "Pays: Égypte" in readable


def test_machine_readable_export_keeps_its_codes(client, db):
    profile = ProfileFactory(languages=["en", "ha", "yo"], name_visibility=Visibility.PUBLIC)

    data, _readable = _download(client, profile)

    assert data["profile"]["languages"] == ["en", "ha", "yo"]
    assert data["profile"]["name_visibility"] == Visibility.PUBLIC
    assert data["profile"]["country"] == "NG"


# --- Profile details speak to the owner ---------------------------------------------


def test_own_hub_says_what_you_do(client, db):
    profile = ProfileFactory(roles=["backend"])
    client.force_login(profile.user)

    html = client.get("/members/").text

    assert "What you do" in html
    assert "Languages you speak" in html
    assert "What they do" not in html


def test_own_profile_page_says_what_you_do(client, db):
    profile = ProfileFactory(roles=["backend"])
    client.force_login(profile.user)

    html = client.get(f"/members/{profile.pk}/").text

    assert "What you do" in html
    assert "What they do" not in html


def test_someone_elses_profile_page_says_what_they_do(client, db):
    profile = ProfileFactory(roles=["backend"])
    client.force_login(ProfileFactory().user)

    html = client.get(f"/members/{profile.pk}/").text

    assert "What they do" in html
    assert "What you do" not in html


# --- Links without a scheme ------------------------------------------------------------


def test_profile_form_link_without_scheme_gets_https(db):
    profile = ProfileFactory()
    links = {
        "github": "github.com/name",
        "linkedin": "linkedin.com/in/name",
        "mastodon": "mastodon.social/@name",
        "website": "example.com",
    }

    form = LinksForm(form_data("links", **links), instance=profile)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["github"] == "https://github.com/name"
    assert form.cleaned_data["linkedin"] == "https://linkedin.com/in/name"
    assert form.cleaned_data["mastodon"] == "https://mastodon.social/@name"
    assert form.cleaned_data["website"] == "https://example.com"


def test_saving_a_link_without_scheme_stores_https(signed_in):
    client, profile = signed_in

    response = client.post("/members/profile/links/", form_data("links", github="github.com/name"))

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.github == "https://github.com/name"
