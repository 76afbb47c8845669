"""The reading-list importer for BPD's `_data/books.json`: the real shape, re-runs,
a dry run, and malformed files (nothing written, each problem named)."""

import json

import pytest
from django.core.management import CommandError, call_command

from bpd.learning import books
from bpd.learning.models import Material
from tests.learning.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

# The file as BPD's current site has it (one book, one review).
REAL = [
    {
        "title": "Boost Your Django DX",
        "author": "Adam Johnson",
        "url": "https://adamchainz.gumroad.com/l/byddx",
        "reviews": [
            {
                "title": "Review: Boost Your Django DX by Adam Johnson",
                "author": "Velda Kiara",
                "url": "https://dev.to/veldakiara/review-boost-your-django-dx-by-adam-johnson-9ho",
            }
        ],
    }
]


def data(value):
    return json.dumps(value).encode()


def test_the_real_file_imports_and_a_rerun_changes_nothing():
    club = ProgrammeFactory()

    first = books.import_books(programme=club, data=data(REAL))
    again = books.import_books(programme=club, data=data(REAL))

    book = Material.objects.get(programme=club)
    assert (book.title, book.author, book.kind) == ("Boost Your Django DX", "Adam Johnson", "book")
    assert book.reviews[0]["author"] == "Velda Kiara"
    assert (first.created, again.unchanged, again.created) == (
        ["Boost Your Django DX"],
        ["Boost Your Django DX"],
        [],
    )


def test_a_rerun_updates_and_a_dry_run_writes_nothing():
    club = ProgrammeFactory()
    books.import_books(programme=club, data=data(REAL))
    changed = [{**REAL[0], "url": "https://example.com/book"}, {"title": "Fluent Python"}]

    dry = books.import_books(programme=club, data=data(changed), dry_run=True)
    assert (dry.updated, dry.created) == (["Boost Your Django DX"], ["Fluent Python"])
    assert Material.objects.count() == 1

    books.import_books(programme=club, data=data(changed))
    assert Material.objects.get(title="Boost Your Django DX").url == "https://example.com/book"
    assert Material.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not JSON (line 1)"),
        (b"\xff\xfe", "not UTF-8"),
        (data({"title": "x"}), "a list of books"),
        (data([{"author": "No title"}]), "Book 1: “title” is missing"),
        (
            data([{"title": "A", "url": "javascript:alert(1)"}]),
            "Book 1: “url” is not a web address",
        ),
        (data([{"title": "A"}, {"title": "a"}]), "Book 2 appears twice"),
        (data([{"title": "x" * 201}]), "longer than 200"),
        (
            data([{"title": "A", "reviews": [{"author": "B"}]}]),
            "Book 1, review 1: “title” is missing",
        ),
        (data([{"title": str(n)} for n in range(1001)]), "At most 1000"),
        (b" " * (1024 * 1024 + 1), "larger than 1 MB"),
    ],
)
def test_malformed_files_are_refused_whole(content, problem):
    club = ProgrammeFactory()
    good_then_bad = content
    with pytest.raises(books.BooksError) as refused:
        books.import_books(programme=club, data=good_then_bad)
    assert problem in str(refused.value)
    assert not Material.objects.exists()


def test_the_command_reports_and_refuses(tmp_path, capsys):
    club = ProgrammeFactory(slug="book-club")
    file = tmp_path / "books.json"
    file.write_text(json.dumps(REAL))

    call_command("import_books", str(file), "--programme", "book-club")
    assert "1 created: Boost Your Django DX" in capsys.readouterr().out
    file.write_text("[{}]")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_books", str(file), "--programme", "book-club")
    with pytest.raises(CommandError, match="No programme"):
        call_command("import_books", str(file), "--programme", "nope")
    assert Material.objects.filter(programme=club).count() == 1
