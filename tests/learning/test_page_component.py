"""The reading list a page shows for [[component:books]]
(learning.selectors.book_club_reading_list)."""

import pytest

from bpd.learning import selectors
from bpd.learning.models import Material, Programme
from tests.learning.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def add(programme, title, kind=Material.Kind.BOOK, position=0):
    return Material.objects.create(programme=programme, title=title, kind=kind, position=position)


def test_the_books_of_the_first_published_book_club_in_order():
    club = ProgrammeFactory(title="A club")
    add(club, "Second", position=2)
    add(club, "First", position=1)
    add(club, "A course", kind=Material.Kind.COURSE)
    add(ProgrammeFactory(title="B club"), "Other club's book")
    add(ProgrammeFactory(title="0 draft", status=Programme.Status.DRAFT), "Draft book")
    add(ProgrammeFactory(title="0 study", kind=Programme.Kind.STUDY_GROUP), "Study book")

    context = selectors.book_club_reading_list(None, "en")

    assert context["programme"] == club
    assert [book.title for book in context["books"]] == ["First", "Second"]


def test_nothing_without_a_book_club_or_its_books():
    assert selectors.book_club_reading_list(None, "en") is None
    ProgrammeFactory()
    assert selectors.book_club_reading_list(None, "en") is None
