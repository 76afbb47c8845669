"""Reads of published news that other parts of the site show."""

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from bpd.news.models import Post
from bpd.website import languages
from bpd.website.documents import sitemap_entries
from bpd.website.registry import Alternate, SitemapEntry

HOME_POSTS = 3
COMPONENT_POSTS = 10


def home_section(request, language):
    """The home page's "Latest news": the newest posts, the reader's language first."""
    posts = list(Post.objects.for_reader(language)[:HOME_POSTS])
    return {"posts": posts} if posts else None


def latest_posts(request, language):
    """A page's `[[component:news]]`: the newest posts as the news index lists them (the
    reader's language first), one query; None (nothing shown) while there is none."""
    posts = list(Post.objects.for_reader(language)[:COMPONENT_POSTS])
    return {"posts": posts} if posts else None


def sitemap():
    """Every published post in every language it exists in, and the news index per language."""
    posts = Post.objects.published().only("translation_key", "language", "slug", "updated_at")
    index = tuple(
        Alternate(code, settings.SITE_URL + languages.prefixed("news/", code))
        for code in languages.CODES
    )
    return [
        *sitemap_entries(posts),
        *(
            SitemapEntry(
                url=alternate.url, alternates=index, x_default=settings.SITE_URL + "/news/"
            )
            for alternate in index
        ),
    ]


def next_scheduled():
    """When the next scheduled post appears (None if none is scheduled)."""
    return Post.objects.filter(published_at__gt=timezone.now()).aggregate(
        first=Min("published_at")
    )["first"]
