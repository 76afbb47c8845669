import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.conferences import importers
from bpd.conferences.models import AOE, Conference, Deadline
from bpd.members.roles import Role
from tests.factories import CityFactory, UserFactory

SAMPLES = Path(importers.__file__).parent / "data" / "samples"
CSV_SAMPLE = SAMPLES / "python-organizers-2027.csv"
JSON_SAMPLE = SAMPLES / "bpd-conferences.json"
DATA = Path(__file__).parent / "data"
HEADER = (
    "Subject,Start Date,End Date,Location,Country,Venue,Tutorial Deadline,Talk Deadline,"
    "Website URL,Proposal URL,Sponsorship URL\n"
)

pytestmark = pytest.mark.django_db


def run(path, format, **kwargs):
    return importers.import_file(path_or_file=path, format=format, **kwargs)


def test_import_python_organizers_csv_creates_published_conferences():
    report = run(CSV_SAMPLE, "python-organizers")

    assert report.errors == []
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (11, 0, 0)
    assert Conference.objects.published().count() == 11
    pycon_us = Conference.objects.get(source="python-organizers", source_key="pycon-us-2027")
    assert (pycon_us.city, pycon_us.country, pycon_us.online) == ("Long Beach", "US", False)
    assert Conference.objects.get(name="EuroPython").country == "CZ"  # alpha-3 code
    assert Conference.objects.get(name="PyConf Hyderabad").country == "IN"  # a name
    assert Conference.objects.get(name="Python Web Conf").online


def test_import_python_organizers_talk_deadline_closes_at_2359_anywhere_on_earth():
    run(CSV_SAMPLE, "python-organizers")

    deadline = Deadline.objects.get(conference__name="PyCon US")

    assert deadline.kind == Deadline.Kind.CFP_CLOSES
    assert deadline.zone == AOE
    assert deadline.due_at == dt.datetime(2026, 12, 19, 11, 59, tzinfo=dt.UTC)
    assert deadline.url == "https://us.pycon.org/2027/speaking/"


def test_import_bpd_json_keeps_summary_speaking_and_type():
    CityFactory(name="Ho", ascii_name="ho", country="GH", geonameid=2300379)

    report = run(JSON_SAMPLE, "bpd-json")

    assert (len(report.created), len(report.updated), len(report.unchanged)) == (10, 0, 0)
    pyho = Conference.objects.get(name="PyHo")
    assert (pyho.city, pyho.country, pyho.source) == ("Ho", "GH", "bpd-site")
    nigeria = Conference.objects.get(name="PyCon Nigeria")
    assert (nigeria.city, nigeria.country) == ("Lagos", "NG")
    assert nigeria.summary.startswith("The largest gathering")
    data_global = Conference.objects.get(name="PyData Global")
    assert data_global.online
    assert data_global.speaking_note.startswith("Two BPD members")
    assert Conference.objects.get(name="PyCon Zimbabwe").tags == ["hybrid"]


def test_import_rerun_changes_nothing_then_updates_one():
    run(CSV_SAMPLE, "python-organizers")

    again = run(CSV_SAMPLE, "python-organizers")
    changed = CSV_SAMPLE.read_text().replace(
        "PyCon Africa,2027-08-11,2027-08-15", "PyCon Africa,2027-08-12,2027-08-16"
    )
    third = run(io.StringIO(changed), "python-organizers")

    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 11)
    assert (third.created, third.updated, len(third.unchanged)) == ([], ["PyCon Africa"], 10)
    assert Conference.objects.count() == 11
    assert Conference.objects.get(name="PyCon Africa").starts_on == dt.date(2027, 8, 12)


def test_import_rerun_with_a_moved_deadline_updates_the_deadline():
    run(CSV_SAMPLE, "python-organizers")
    changed = CSV_SAMPLE.read_text().replace(",2027-04-30,", ",2027-05-15,")

    report = run(io.StringIO(changed), "python-organizers")

    assert report.updated == ["PyCon Africa"]
    deadline = Deadline.objects.get(conference__name="PyCon Africa")
    assert deadline.local_due.date() == dt.date(2027, 5, 15)
    assert Deadline.objects.count() == 11


def test_import_dry_run_writes_nothing_and_reports_what_it_would_do():
    report = run(CSV_SAMPLE, "python-organizers", dry_run=True)

    assert len(report.created) == 11
    assert not Conference.objects.exists()
    assert not Entry.objects.filter(verb=Verb.CONFERENCES_IMPORTED).exists()


def test_import_is_audited_with_counts():
    by = UserFactory(roles=[Role.EXECUTOR])

    run(CSV_SAMPLE, "python-organizers", by=by)

    entry = Entry.objects.get(verb=Verb.CONFERENCES_IMPORTED)
    assert entry.actor == by
    assert (entry.detail["created"], entry.detail["updated"], entry.detail["unchanged"]) == (
        11,
        0,
        0,
    )


@pytest.mark.parametrize(
    ("name", "format", "expected"),
    [
        ("bad-date.csv", "python-organizers", (3, "Start Date")),
        ("missing-column.csv", "python-organizers", (1, "End Date")),
        ("end-before-start.csv", "python-organizers", (3, "End Date")),
        ("unknown-country.csv", "python-organizers", (3, "Country")),
        ("bad-date.json", "bpd-json", (2, "conference_start_date")),
        ("missing-field.json", "bpd-json", (1, "url")),
    ],
)
def test_import_malformed_file_writes_nothing_and_names_line_and_field(name, format, expected):
    report = run(DATA / name, format)

    assert [(number, field) for number, field, _message in report.errors] == [expected]
    assert not report.created
    assert not Conference.objects.exists()


def test_import_file_larger_than_2_mb_is_refused():
    rows = "".join(
        f'Conference {n},2027-08-12,2027-08-14,"Accra, Ghana",GHA,,,,https://x{n}.example/,,\n'
        for n in range(30_000)
    )

    report = run(io.BytesIO((HEADER + rows).encode()), "python-organizers")

    assert [message for _n, _f, message in report.errors] == ["The file is larger than 2 MB."]
    assert not Conference.objects.exists()


def test_import_more_rows_than_the_limit_is_refused():
    rows = "".join(
        f"Conf {n},2027-08-12,2027-08-14,Accra,GHA,,,,https://x.example/,,\n"
        for n in range(importers.MAX_ROWS + 1)
    )

    report = run(io.StringIO(HEADER + rows), "python-organizers")

    assert report.errors
    assert not Conference.objects.exists()


def test_import_same_conference_twice_in_a_file_is_an_error():
    row = 'PyCon Ghana,2027-08-12,2027-08-14,"Accra, Ghana",GHA,,,,https://gh.pycon.org/,,\n'

    report = run(io.StringIO(HEADER + row + row), "python-organizers")

    assert [(n, f) for n, f, _m in report.errors] == [(3, "Subject")]


def test_source_key_drops_case_accents_and_a_trailing_year():
    assert importers.source_key("PyCon  Africa 2027", dt.date(2027, 8, 1)) == "pycon-africa-2027"
    assert importers.source_key("Python Brasil", dt.date(2027, 10, 1)) == "python-brasil-2027"
    assert importers.source_key("PyCon Côte d\u2019Ivoire", dt.date(2027, 1, 1)) == (
        "pycon-cote-divoire-2027"
    )


# The management command ------------------------------------------------------------------


def test_import_command_prints_the_report():
    out = io.StringIO()

    call_command("import_conferences", str(CSV_SAMPLE), "--format", "python-organizers", stdout=out)

    assert "11 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Conference.objects.count() == 11


def test_import_command_dry_run_writes_nothing():
    out = io.StringIO()

    call_command(
        "import_conferences", str(JSON_SAMPLE), "--format", "bpd-json", "--dry-run", stdout=out
    )

    assert "Dry run" in out.getvalue()
    assert not Conference.objects.exists()


def test_import_command_fails_with_line_and_field():
    with pytest.raises(CommandError, match="line 3, End Date"):
        call_command(
            "import_conferences", str(DATA / "end-before-start.csv"), "--format=python-organizers"
        )
    assert not Conference.objects.exists()


# The staff page ------------------------------------------------------------------------------


def upload(path, format="python-organizers", **extra):
    return {
        "format": format,
        "file": SimpleUploadedFile(path.name, path.read_bytes()),
        **extra,
    }


@pytest.mark.parametrize(("roles", "status"), [([], 403), ([Role.LEADER], 403)])
def test_import_page_is_for_executors_only(client, roles, status):
    client.force_login(UserFactory(roles=roles))

    get = client.get(reverse("conferences:import"))
    post = client.post(reverse("conferences:import"), upload(CSV_SAMPLE))

    assert (get.status_code, post.status_code) == (status, status)
    assert not Conference.objects.exists()


def test_import_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("conferences:import"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_import_page_dry_run_then_confirm(client):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    url = reverse("conferences:import")

    preview = client.post(url, upload(CSV_SAMPLE, dry_run="on"))
    assert not Conference.objects.exists()
    token = preview.context["token"]
    confirmed = client.post(url, {"token": token})

    assert "PyCon Africa" in preview.content.decode()
    assert preview.context["report"].dry_run
    assert len(confirmed.context["report"].created) == 11
    assert Conference.objects.count() == 11
    assert client.post(url, {"token": token}).status_code == 302  # used up


def test_import_page_lists_errors_by_line_and_field(client):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))

    response = client.post(
        reverse("conferences:import"), upload(DATA / "unknown-country.csv", dry_run="on")
    )

    body = response.content.decode()
    assert "Nothing was imported" in body
    assert response.context["report"].errors[0][:2] == (3, "Country")
    assert response.context["token"] is None
    assert not Conference.objects.exists()


def test_import_page_without_dry_run_imports_at_once(client):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))

    response = client.post(reverse("conferences:import"), upload(JSON_SAMPLE, "bpd-json"))

    assert response.status_code == 200
    assert Conference.objects.count() == 10


def test_import_page_refuses_a_file_over_2_mb(client):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))
    big = SimpleUploadedFile("big.csv", b"x" * (importers.MAX_BYTES + 1))

    response = client.post(
        reverse("conferences:import"), {"format": "python-organizers", "file": big}
    )

    assert response.context["form"].errors["file"] == ["The file is larger than 2 MB."]
    assert not Conference.objects.exists()


def test_moderation_page_links_to_the_import_page(client):
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))

    page = client.get(reverse("conferences:moderate")).content.decode()

    assert reverse("conferences:import") in page
