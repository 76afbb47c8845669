"""Issue 10 findings 4, 9, 10 and 11: escalation, enumeration, spreadsheets, caching."""

import ast
import csv
import io
from pathlib import Path

from django.contrib.auth.models import Group

import bpd
from bpd.audit.models import Entry
from bpd.members.roles import Role
from bpd.members.services import ensure_groups
from bpd.website.spreadsheet import safe_cell
from tests.factories import ProfileFactory, UserFactory
from tests.members.test_accounts import join


def test_4_an_executor_cannot_make_themselves_superuser_in_the_admin(client, db):
    ensure_groups()  # executors may edit accounts in the admin (not their privileges)
    executor = UserFactory(roles=[Role.EXECUTOR], is_staff=True)
    client.force_login(executor)
    treasurers = Group.objects.get_or_create(name=Role.TREASURER)[0]

    response = client.post(
        f"/admin/members/user/{executor.pk}/change/",
        {
            "email": executor.email, "language": "en", "is_active": "on", "is_superuser": "on",
            "is_staff": "on", "groups": [treasurers.pk],
        },
    )  # fmt: skip

    assert response.status_code == 302  # the form was saved: only the privileges were not
    executor.refresh_from_db()
    assert not executor.is_superuser
    assert not executor.groups.filter(name=Role.TREASURER).exists()


def test_4_executors_change_roles_on_the_staff_page_and_it_is_audited(client, db):
    executor = UserFactory(roles=[Role.EXECUTOR])
    member = ProfileFactory().user
    client.force_login(executor)
    url = f"/staff/members/{member.profile.pk}/roles/"
    assert client.get("/staff/members/").status_code == 200

    response = client.post(url, {"roles": ["treasurer"], "reason": "New treasurer"})

    assert response.status_code == 302
    assert member.groups.filter(name=Role.TREASURER).exists()
    entry = Entry.objects.get(verb="member.role_granted", person=member)
    assert (entry.actor, entry.reason, entry.detail["role"]) == (
        executor,
        "New treasurer",
        "treasurer",
    )


def test_4_nobody_changes_their_own_roles_and_members_cannot_open_the_page(client, db):
    executor = UserFactory(roles=[Role.EXECUTOR])
    ProfileFactory(user=executor)
    client.force_login(executor)

    response = client.post(
        f"/staff/members/{executor.profile.pk}/roles/", {"roles": [], "reason": "quit"}
    )

    assert "cannot change your own roles" in response.text
    assert executor.groups.filter(name=Role.EXECUTOR).exists()
    client.force_login(ProfileFactory().user)
    assert client.get(f"/staff/members/{executor.profile.pk}/roles/").status_code == 403


def test_9_joining_with_a_known_address_answers_like_a_new_one(client, db):
    ProfileFactory(user__email="kofi@example.com")

    new = join(client, "new@example.com")
    new_page = client.get(new.headers["Location"])
    client.logout()
    known = join(client, "kofi@example.com")
    known_page = client.get(known.headers["Location"])

    assert new.headers["Location"] == known.headers["Location"]
    messages = [[str(m) for m in page.context["messages"]] for page in (new_page, known_page)]
    assert messages[0] == messages[1]
    assert "already have an account" not in known_page.text


def test_10_formula_cells_are_neutralised_in_the_staff_csv(client, db):
    ProfileFactory(display_name='=HYPERLINK("http://evil.example","x")', name_visibility=3)
    client.force_login(UserFactory(roles=[Role.EXECUTOR]))

    response = client.get("/staff/members/?format=csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["display_name"].startswith("'=")


def test_10_every_csv_the_platform_writes_goes_through_the_spreadsheet_module():
    root = Path(bpd.__file__).parent
    writers = []
    for path in root.rglob("*.py"):
        if path.name == "spreadsheet.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            attribute = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            if attribute and node.value.id == "csv" and node.attr in {"writer", "DictWriter"}:
                writers.append(f"{path.relative_to(root)}:{node.lineno}")
    assert writers == []
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "ok", -1)] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "ok", -1,
    ]  # fmt: skip


def test_11_signed_in_pages_are_never_stored_by_caches(client, db):
    anonymous = client.get("/news/")
    client.force_login(UserFactory())

    for url in ("/news/", "/members/", "/fund/"):
        response = client.get(url, follow=False)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url
    assert "public" in anonymous["Cache-Control"]
