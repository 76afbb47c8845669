from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from bpd.news.models import Post
from bpd.website import languages


class NewsFeed(Feed):
    """An Atom feed per language: the posts written in the language it is served under."""

    feed_type = Atom1Feed
    LIMIT = 20

    def get_object(self, request):
        return languages.current()

    def title(self, language):
        return _("Black Python Devs news")

    def subtitle(self, language):
        return _("News from the Black Python Devs community.")

    def link(self, language):
        return languages.prefixed("news/", language)

    def feed_url(self, language):
        return languages.prefixed("news/feed.atom", language)

    def items(self, language):
        posts = Post.objects.published().filter(language=language).prefetch_related("tags")
        return posts.order_by("-published_at")[: self.LIMIT]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.body_html

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return post.author_name

    def item_categories(self, post):
        return [tag.name for tag in post.tags.all()]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj
        return feed

    def item_link(self, post):
        return settings.SITE_URL + post.get_absolute_url()
