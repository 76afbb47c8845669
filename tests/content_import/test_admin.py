"""Executors read every import run's report in the admin; runs are undone with
`import_content --revert`, never edited or deleted there."""

from bpd.content_import.models import ImportRun
from bpd.members.roles import Role
from bpd.members.services import ensure_groups
from tests.factories import UserFactory


def test_an_executor_reads_an_import_runs_report_but_cannot_delete_it(client, db):
    ensure_groups()
    run = ImportRun.objects.create(source="/srv/site", summary="1 created", report="broken.md:7: x")
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))

    index = client.get("/admin/").text
    page = client.get(f"/admin/content_import/importrun/{run.pk}/change/")

    assert "/admin/content_import/importrun/" in index
    assert "broken.md:7: x" in page.text
    assert client.get(f"/admin/content_import/importrun/{run.pk}/delete/").status_code == 403
    assert ImportRun.objects.filter(pk=run.pk).exists()
