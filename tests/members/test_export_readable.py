"""Issue 12, item 16: each registered part of "download my data" may write itself for
people (`registry.add_personal_data(..., readable=...)`); parts without one still appear,
their keys read as words."""

import io
import zipfile

import pytest

from bpd.members import exports
from bpd.website import registry
from tests.factories import ProfileFactory


def _readable(client, user):
    client.force_login(user)
    archive = zipfile.ZipFile(io.BytesIO(client.post("/members/my-data/").content))
    return archive.read("data.md").decode()


def _garden(data):
    return [
        registry.Section(
            "Your garden",
            sections=[
                registry.Section("Tomatoes", [("Planted", data["planted"]), ("", "Doing well")]),
                ("Herbs", [("Basil", "", [("Leaves", "many")])]),
            ],
        ),
        ("Seeds you swapped", []),
    ]


@pytest.fixture
def garden(monkeypatch):
    """A part registered for this test only (the registry is put back afterwards)."""
    monkeypatch.setitem(
        registry._personal_data,
        "garden_plots",
        registry.PersonalData(
            "garden_plots", collect=lambda user: {"planted": "May"}, readable=_garden
        ),
    )


def test_readable_export_uses_a_parts_own_sections_and_subsections(client, db, garden):
    profile = ProfileFactory()

    readable = _readable(client, profile.user)

    assert "## Your garden\n\n### Tomatoes\n\n- Planted: May\n- Doing well\n" in readable
    assert "### Herbs\n\n- Basil\n  - Leaves: many\n" in readable
    assert "## Seeds you swapped\n\n- None\n" in readable
    assert "garden_plots" not in readable
    assert "planted" not in readable


def test_readable_export_reads_a_part_without_its_own_words_by_its_keys(client, db, monkeypatch):
    monkeypatch.setitem(
        registry._personal_data,
        "garden_plots",
        registry.PersonalData("garden_plots", collect=lambda user: {"seed_packets": 3}),
    )
    profile = ProfileFactory()

    readable = _readable(client, profile.user)

    assert "## Garden plots\n\n- Seed packets: 3\n" in readable


def test_machine_export_is_what_each_part_collects(db, garden):
    user = ProfileFactory().user

    assert exports.collect(user)["garden_plots"] == {"planted": "May"}


def test_every_registered_part_writes_itself_for_people():
    parts = {part.name: part.readable for part in registry.personal_data()}

    own = {"account", "profile", "connections", "activity"}  # written by members.exports
    assert {name for name, readable in parts.items() if readable is None} == own
