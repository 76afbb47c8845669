"""Factories for sponsorship tests: a community with a leader, a request in any state.

Requests are made straight through the models here (their states exact, whatever the
services do); tests of the services move them through the services."""

import datetime as dt

import factory
from django.utils import timezone

from bpd.communities.models import Community, Leadership, SponsorshipRequest
from bpd.members.roles import Role
from tests.factories import CityFactory, ProfileFactory, UserFactory


class SponsoredCommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Sponsored community {n}")
    slug = factory.Sequence(lambda n: f"sponsored-community-{n}")
    city = factory.SubFactory(CityFactory, name="Accra", country="GH", timezone="Africa/Accra")
    country = factory.LazyAttribute(lambda c: c.city.country)
    description = "Meets monthly."
    status = Community.Status.ACTIVE


def leader_of(community, **user_fields):
    """A new member who leads `community` (and holds the leader role)."""
    user = ProfileFactory(user=UserFactory(roles=[Role.LEADER], **user_fields)).user
    Leadership.objects.create(community=community, user=user)
    return user


def executor(**user_fields):
    return ProfileFactory(user=UserFactory(roles=[Role.EXECUTOR], **user_fields)).user


class SponsorshipRequestFactory(factory.django.DjangoModelFactory):
    """A draft that meets every rule of the default policy: 90 days ahead, USD 500 for
    100 people and 10 tickets."""

    class Meta:
        model = SponsorshipRequest

    community = factory.SubFactory(SponsoredCommunityFactory)
    title = factory.Sequence(lambda n: f"Sponsored event {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    ends_on = factory.LazyAttribute(lambda r: r.starts_on)
    venue = "Hall"
    city = factory.LazyAttribute(lambda r: r.community.city)
    country = factory.LazyAttribute(lambda r: r.city.country)
    expected_attendance = 100
    ticket_price = 5_000
    ticket_currency = "USD"
    tickets_requested = 10
    amount = 50_000
    organiser_name = "Organiser Ltd"
    organiser_contact = "invoices@organiser.example.org"
    report_plan = "Who came."


def request_data(community, **changes):
    """The fields `sponsorship.save_draft` takes, meeting every default rule."""
    starts = timezone.localdate() + dt.timedelta(days=90)
    data = {
        "event": None, "conference": None, "title": "Data day", "starts_on": starts,
        "ends_on": starts, "venue": "Hall", "city": community.city, "expected_attendance": 100,
        "ticket_price": 5_000, "ticket_currency": "USD", "tickets_requested": 10, "amount": 50_000,
        "organiser_name": "Organiser Ltd", "organiser_contact": "invoices@organiser.example.org",
        "organiser_details": "", "distribution": "lottery", "report_plan": "Who came.",
    }  # fmt: skip
    return data | changes
