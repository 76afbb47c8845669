import datetime as dt

import factory
from django.utils import timezone

from bpd.news.models import Post, Tag
from bpd.pages.models import Page, TeamMember


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    language = "en"
    path = factory.Sequence(lambda n: f"page-{n}/")
    translation_key = factory.LazyAttribute(lambda page: page.path.strip("/") or "home")
    title = factory.Sequence(lambda n: f"Page {n}")
    body = "Some *Markdown* text."


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"tag{n}")
    slug = factory.LazyAttribute(lambda tag: tag.name)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    language = "en"
    slug = factory.Sequence(lambda n: f"post-{n}")
    translation_key = factory.LazyAttribute(lambda post: post.slug)
    title = factory.Sequence(lambda n: f"Post {n}")
    description = "A short summary."
    body = "Post body."
    author_name = "Ada Obi"
    published_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(days=n + 1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    name = factory.Sequence(lambda n: f"Leader {n}")
    role = "Organiser"
    city = "Kano"
    country = "NG"


from bpd.members.models import City, Profile, User  # noqa: E402
from bpd.members.roles import Role  # noqa: E402


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    code_of_conduct_accepted_at = factory.LazyFunction(timezone.now)
    identity_affirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        from allauth.account.models import EmailAddress

        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        for role in [Role.MEMBER, *(extracted or [])]:
            self.groups.add(Group.objects.get_or_create(name=role)[0])
            if role == Role.EXECUTOR and not self.is_staff:
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["geonameid"]

    geonameid = factory.Sequence(lambda n: 9000000 + n)
    name = "Kano"
    ascii_name = factory.LazyAttribute(lambda city: city.name.casefold())
    country = "NG"
    latitude = 12.0
    longitude = 8.5
    timezone = "Africa/Lagos"
    population = 3000000


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    country = "NG"
    skill_level = "intermediate"
    roles = factory.LazyFunction(lambda: ["backend"])
    languages = factory.LazyFunction(lambda: ["en", "ha"])
    career_status = "employed"
    onboarded_at = factory.LazyFunction(timezone.now)
