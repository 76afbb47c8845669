"""Factories for local communities, sponsorship requests and sponsored tickets.

Shared by the helpers' tests: add a factory here with a small edit, never rewrite the file."""

import datetime as dt

import factory
from django.utils import timezone

from bpd.communities import lottery
from bpd.communities.models import (
    Community,
    Draw,
    Leadership,
    Membership,
    SponsorshipRequest,
    TicketEntry,
)
from tests.factories import CityFactory, ProfileFactory, UserFactory


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    city = factory.SubFactory(
        CityFactory, name="Accra", country="GH", latitude=5.556, longitude=-0.1969,
        timezone="Africa/Accra",
    )  # fmt: skip
    country = factory.LazyAttribute(lambda c: c.city.country)
    description = "Meets monthly."
    status = Community.Status.ACTIVE


class LeadershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leadership

    community = factory.SubFactory(CommunityFactory)
    user = factory.LazyFunction(lambda: ProfileFactory().user)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    user = factory.LazyFunction(lambda: ProfileFactory().user)
    kind = Membership.Kind.MEMBER


def leader_of(community, **profile):
    """A member who leads `community` (with a profile)."""
    from bpd.members.roles import Role

    user = ProfileFactory(user=UserFactory(roles=[Role.LEADER]), **profile).user
    Leadership.objects.create(community=community, user=user)
    return user


class SponsorshipRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SponsorshipRequest

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"PyCon Local {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    ends_on = factory.LazyAttribute(lambda r: r.starts_on + dt.timedelta(days=1))
    venue = "The hall"
    city = factory.LazyAttribute(lambda r: r.community.city)
    country = factory.LazyAttribute(lambda r: r.city.country)
    expected_attendance = 200
    ticket_price = 5000
    ticket_currency = "USD"
    tickets_requested = 10
    tickets_approved = 10
    amount = 50000
    amount_approved = 50000
    organiser_name = "Local Organisers Ltd"
    organiser_contact = "tickets@organiser.example"
    distribution = SponsorshipRequest.Distribution.LOTTERY
    report_plan = "A short report."
    status = SponsorshipRequest.Status.PAID


class DrawFactory(factory.django.DjangoModelFactory):
    """A published draw taking applications now."""

    class Meta:
        model = Draw

    request = factory.SubFactory(SponsorshipRequestFactory)
    tickets = 3
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    priorities = factory.LazyFunction(list)
    confirm_days = 5
    secret = factory.LazyFunction(lottery.new_secret)
    commitment = factory.LazyAttribute(lambda d: lottery.commit(d.secret))
    randomness_source = "drand quicknet round 12345678"
    published_at = factory.LazyFunction(timezone.now)


class TicketEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketEntry

    draw = factory.SubFactory(DrawFactory)
    number = factory.Sequence(lambda n: n + 1)
    user = factory.LazyFunction(lambda: ProfileFactory(country="GH").user)
    tier = 0
