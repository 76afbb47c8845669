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
