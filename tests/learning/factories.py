import datetime as dt

import factory
from django.utils import timezone

from bpd.learning.models import Cohort, Programme


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    kind = Programme.Kind.BOOK_CLUB
    title = factory.Sequence(lambda n: f"Book club {n}")
    slug = factory.Sequence(lambda n: f"book-club-{n}")
    description = "We read a book a month."
    status = Programme.Status.PUBLISHED


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    name = "Spring"
    capacity = 2
    signup_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    signup_closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    sessions_to_complete = 2
