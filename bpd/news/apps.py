from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bpd.website import registry


def _in_news(request):
    match = getattr(request, "resolver_match", None)
    return getattr(match, "app_name", None) == "news"


class NewsConfig(AppConfig):
    name = "bpd.news"
    verbose_name = _("News")

    def ready(self):
        # Imported here: selectors imports the models, which exist only once apps are ready.
        from bpd.news import selectors

        post = self.get_model("Post")
        registry.add_public_content(post, "news.Tag", m2m=[post.tags.through])
        registry.add_menu_link("header", _("News"), "news:index", order=20, current=_in_news)
        registry.add_menu_link("footer", _("News"), "news:index", order=20, group="about")
        registry.add_menu_link(
            "footer", _("News feed (Atom)"), "news:feed", order=21, group="about"
        )
        registry.add_menu_link("feed", _("Black Python Devs news"), "news:feed", order=10)
        registry.add_home_section("news/home_section.html", selectors.home_section, order=10)
        registry.add_page_component(
            "news", "news/component.html", selectors.latest_posts, label=_("Latest news")
        )
        registry.add_sitemap_section(selectors.sitemap, order=20)
        registry.add_scheduled_content(selectors.next_scheduled)
