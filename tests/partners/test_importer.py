"""The partnerships.yml importer: the real two-entry file of BPD's current site, re-runs,
the dry run, malformed files (nothing written), sanitising, and logos."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from bpd.audit.models import Entry
from bpd.audit.verbs import Verb
from bpd.partners.importer import (
    MAX_BYTES,
    MAX_ENTRIES,
    PartnershipsError,
    import_partnerships,
)
from bpd.partners.models import Offer, Partner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "partnerships.yml"
REAL = FIXTURE.read_bytes()


def entry(
    name="Acme", code="ACME10", description="10% off.", url="https://acme.example.org/", **more
):
    lines = [f'- name: "{name}"', f'  promo_code: "{code}"', f"  description: '{description}'"]
    lines += [f'  url: "{url}"'] + [f'  {key}: "{value}"' for key, value in more.items()]
    return "\n".join(lines) + "\n"


def problems_of(data, **kwargs):
    with pytest.raises(PartnershipsError) as caught:
        import_partnerships(data, **kwargs)
    return caught.value.problems


def png(path, size=(640, 200)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 30, 30)).save(path, "PNG")
    return path


def test_real_file_creates_two_partners_with_an_approved_public_offer_each():
    by = UserFactory()

    report = import_partnerships(REAL, by=by)

    assert len(report.created) == 2
    assert not report.updated
    assert not report.unchanged
    talk = Partner.objects.get(slug="talkpython-training")
    assert talk.name == "TalkPython Training"
    assert talk.website == "https://training.talkpython.fm/black-python-devs"
    assert (
        talk.gives_back
        == "TalkPython Training will also donate 20% of the purchase to Black Python Devs."
    )
    assert "<" not in talk.description
    assert "landing page (https://training.talkpython.fm/black-python-devs)" in talk.description
    assert "promo code: bpd-20pc-1c1da at checkout" in talk.description
    code = talk.offers.get()
    assert (code.kind, code.shared_code, code.value) == (
        Offer.Kind.SHARED_CODE,
        "bpd-20pc-1c1da",
        "10% off",
    )
    assert code.url == "https://training.talkpython.fm/black-python-devs"
    assert (code.status, code.audience, code.decided_by) == (
        Offer.Status.APPROVED,
        Offer.Audience.PUBLIC,
        by,
    )
    oreilly = Partner.objects.get(slug="oreilly-media")
    assert oreilly.name == "O'Reilly Media"
    assert oreilly.website == ""
    assert "O'Reilly's Learning Platform" in oreilly.description
    assert oreilly.gives_back.endswith(
        "a percentage of your subscription will go to Black Python Devs."
    )
    link = oreilly.offers.get()
    assert (link.kind, link.shared_code) == (Offer.Kind.LINK, "")
    assert link.url == "https://oreillymedia.pxf.io/c/5713155/2126973/15173"
    assert link.value == "a 30-day trial"
    assert link.status == Offer.Status.APPROVED
    assert any(
        "/2024-09-09-oreilly-partnership/" in w and "entry 2 (O'Reilly Media)" in w
        for w in report.warnings
    )
    # No --site-root: each logo is reported, not dropped silently.
    assert sum("not imported (give --site-root" in w for w in report.warnings) == 2
    audit = Entry.objects.get(verb=Verb.PARTNERSHIPS_IMPORTED)
    assert audit.actor == by
    assert (audit.detail["created"], audit.detail["updated"], audit.detail["unchanged"]) == (
        2,
        0,
        0,
    )


def test_rerun_of_the_same_file_changes_nothing():
    import_partnerships(REAL)

    report = import_partnerships(REAL)

    assert len(report.unchanged) == 2
    assert not report.created
    assert not report.updated
    assert Partner.objects.count() == 2
    assert Offer.objects.count() == 2
    assert Entry.objects.filter(verb=Verb.PARTNERSHIPS_IMPORTED).count() == 2


def test_rerun_with_a_new_code_and_description_updates_the_same_offer():
    import_partnerships(REAL)
    offer = Offer.objects.get(kind=Offer.Kind.SHARED_CODE)
    changed = REAL.decode().replace('promo_code: "bpd-20pc-1c1da"', 'promo_code: "bpd-25pc-2025"')
    changed = changed.replace("10% off your course", "15% off your course")

    report = import_partnerships(changed.encode())

    assert len(report.updated) == 1
    assert len(report.unchanged) == 1
    assert not report.created
    assert "offer shared_code" in report.updated[0]
    assert "description" in report.updated[0]
    offer.refresh_from_db()
    assert offer.shared_code == "bpd-25pc-2025"
    assert "15% off your course" in offer.description
    assert Offer.objects.count() == 2


def test_rerun_keeps_what_staff_wrote_about_giving_back_and_the_offers_state():
    import_partnerships(REAL)
    Partner.objects.filter(slug="talkpython-training").update(gives_back="Written by staff.")
    Offer.objects.filter(kind=Offer.Kind.LINK).update(status=Offer.Status.WITHDRAWN)

    report = import_partnerships(REAL)

    assert Partner.objects.get(slug="talkpython-training").gives_back == "Written by staff."
    assert Offer.objects.get(kind=Offer.Kind.LINK).status == Offer.Status.WITHDRAWN
    assert any("the offer is withdrawn" in w for w in report.warnings)


def test_existing_partner_with_the_same_name_is_updated_not_duplicated():
    Partner.objects.create(name="talkpython training", slug="talk-python")

    report = import_partnerships(REAL)

    assert Partner.objects.filter(name__iexact="talkpython training").count() == 1
    assert Partner.objects.get(slug="talk-python").name == "TalkPython Training"
    assert any("an approved public offer" in line for line in report.created)


def test_dry_run_writes_nothing_and_says_what_it_would_do():
    dry = import_partnerships(REAL, dry_run=True)

    assert len(dry.created) == 2
    assert "would create 2" in dry.summary()
    assert not Partner.objects.exists()
    assert not Offer.objects.exists()
    assert not Entry.objects.exists()

    import_partnerships(REAL)
    changed = REAL.decode().replace("10% off your course", "12% off your course").encode()
    dry = import_partnerships(changed, dry_run=True)
    assert len(dry.updated) == 1
    assert len(dry.unchanged) == 1
    assert "would update 1" in dry.summary()
    assert "10% off your course" in Offer.objects.get(kind=Offer.Kind.SHARED_CODE).description


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"name: Acme\npromo_code: X\n", "must be a list"),
        (b"", "must be a list"),
        (b"[]", "lists no partnership"),
        (b"- [1, 2]\n", "entry 1: not a partnership"),
        (b"- name: [unclosed\n", "not valid YAML"),
        (entry(name="").encode(), "entry 1: name: missing"),
        (entry(code="").encode(), "entry 1 (Acme): promo_code: missing"),
        (entry(code="two words").encode(), "entry 1 (Acme): promo_code: not a code"),
        (entry(code="https://exa mple.com/").encode(), "entry 1 (Acme): promo_code: not a valid http(s) address"),
        (entry(url="javascript:alert(1)").encode(), "entry 1 (Acme): url: not an http(s) address"),
        (entry(url="ftp://acme.example.org/").encode(), "entry 1 (Acme): url: not an http(s) address"),
        (entry(name="!!!").encode(), "entry 1 (!!!): name: has no letters or digits"),
        (entry(name="A" * 121).encode(), "name: longer than 120 characters"),
        ((entry() + entry(name="ACME", code="OTHER")).encode(), "entry 2 (ACME): name: the same partner as entry 1"),
        ("- name: Café\n  promo_code: X\n".encode("latin-1"), "not UTF-8"),
    ],
)  # fmt: skip
def test_malformed_file_is_refused_naming_the_entry_and_field(data, expected):
    problems = problems_of(data)

    assert any(expected in problem for problem in problems), problems
    assert not Partner.objects.exists()
    assert not Entry.objects.exists()


def test_too_big_and_too_many_entries_are_refused():
    assert "larger than" in problems_of(b"#" * (MAX_BYTES + 1))[0]
    many = "".join(entry(name=f"Partner {n}", code=f"C{n}") for n in range(MAX_ENTRIES + 1))
    assert "at most 500" in problems_of(many.encode())[0]


def test_every_problem_is_listed_and_nothing_is_written_when_one_entry_is_bad():
    data = (
        entry(name="Good") + entry(name="Bad url", url="not an address") + entry(name="", code="")
    )

    problems = problems_of(data.encode())

    assert len(problems) == 3  # the bad url, then the last entry's name and promo_code
    assert not Partner.objects.exists()
    assert not Offer.objects.exists()


def test_command_refuses_a_bad_file_and_writes_nothing(tmp_path):
    path = tmp_path / "partnerships.yml"
    path.write_text(entry() + entry(name="acme"), encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_partnerships", str(path), stdout=io.StringIO())
    assert not Partner.objects.exists()


def test_description_is_sanitised_and_what_was_removed_reported():
    data = entry(
        description='<p onclick="steal()">Get <em>10% off</em> <a href="javascript:alert(1)">here</a>'
        '<script>alert(1)</script><img src="https://tracker.example/x.gif"></p>'
    )

    report = import_partnerships(data.encode())

    partner = Partner.objects.get()
    assert partner.description == "Get 10% off here"
    warning = next(w for w in report.warnings if "description: removed" in w)
    assert "<script>" in warning
    assert "<img>" in warning
    assert "onclick on <p>" in warning
    assert "href on <a>" in warning
    assert "entry 1 (Acme)" in warning


def test_value_and_gives_back_are_left_for_staff_when_the_description_does_not_say():
    report = import_partnerships(entry(description="Courses for everyone.").encode())

    offer = Offer.objects.get()
    assert offer.value == "A discount code"
    assert offer.partner.gives_back == ""
    assert any("what members get not found" in w for w in report.warnings)
    assert any("gives back not found" in w for w in report.warnings)


def test_raster_logo_is_imported_as_webp_and_unchanged_on_rerun(tmp_path):
    png(tmp_path / "assets" / "images" / "acme.png")
    data = entry(logo="/assets/images/acme.png").encode()

    import_partnerships(data, site_root=tmp_path)

    partner = Partner.objects.get()
    assert partner.logo.name.endswith(".webp")
    assert partner.logo_width == 320
    with partner.logo.open("rb") as handle:
        assert Image.open(handle).format == "WEBP"
    report = import_partnerships(data, site_root=tmp_path)
    assert len(report.unchanged) == 1
    assert not [w for w in report.warnings if "logo" in w]


def test_changed_logo_counts_as_an_update(tmp_path):
    png(tmp_path / "logo.png")
    import_partnerships(entry(logo="/logo.png").encode(), site_root=tmp_path)
    png(tmp_path / "logo.png", size=(400, 400))

    report = import_partnerships(entry(logo="/logo.png").encode(), site_root=tmp_path)

    assert len(report.updated) == 1
    assert "logo" in report.updated[0]
    assert Partner.objects.get().logo_height == 320


def test_missing_svg_outside_and_damaged_logos_are_reported_per_entry(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "mark.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "assets" / "broken.png").write_bytes(b"\x89PNG not really")
    (tmp_path.parent / "secret.png").write_bytes(b"x")
    data = (
        entry(name="Missing", logo="/assets/gone.png")
        + entry(name="Vector", code="V", logo="/assets/mark.svg")
        + entry(name="Outside", code="O", logo="/../secret.png")
        + entry(name="Broken", code="B", logo="/assets/broken.png")
    )

    report = import_partnerships(data.encode(), site_root=tmp_path)

    assert Partner.objects.count() == 4
    assert not Partner.objects.exclude(logo="").exists()
    warnings = "\n".join(report.warnings)
    assert "entry 1 (Missing): logo file not found: /assets/gone.png" in warnings
    assert "entry 2 (Vector): logo skipped: SVG not accepted" in warnings
    assert "entry 3 (Outside): logo skipped: /../secret.png is outside the site" in warnings
    assert "entry 4 (Broken): logo skipped: /assets/broken.png" in warnings


def test_command_imports_the_real_file_with_its_logos(tmp_path):
    png(tmp_path / "assets" / "images" / "talkpython.webp")
    (tmp_path / "assets" / "images" / "oreilly_logo_mark_red.svg").write_text("<svg/>")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "import_partnerships", str(FIXTURE), "--site-root", str(tmp_path), stdout=out, stderr=err
    )

    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert "entry 2 (O'Reilly Media): logo skipped: SVG not accepted" in err.getvalue()
    assert Partner.objects.get(slug="talkpython-training").logo
    dry = io.StringIO()
    call_command("import_partnerships", str(FIXTURE), "--dry-run", stdout=dry, stderr=io.StringIO())
    assert "would create 0, would update 0, 2 unchanged" in dry.getvalue()
