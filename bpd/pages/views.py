from django.shortcuts import render

from bpd.news.models import Post
from bpd.pages import selectors
from bpd.pages.models import Page, TeamMember
from bpd.website import languages
from bpd.website.caching import public_page


def document_context(document, is_fallback):
    """What every document template needs: fallback note, alternates, canonical URL."""
    existing = selectors.document_languages(document)
    return {
        "document": document,
        "is_fallback": is_fallback,
        # hreflang only for translations that exist; x-default is the English text.
        "alternates": [{"code": code, "url": url} for code, url in sorted(existing.items())],
        "x_default": existing.get(languages.DEFAULT),
        "canonical": document.get_absolute_url(),
        "language_links": selectors.switcher_links(document, existing),
    }


@public_page
def page_detail(request, path=""):
    language = languages.current()
    page, is_fallback = selectors.find_document(Page.objects.all(), language, path=path)
    context = document_context(page, is_fallback)
    template = "pages/page.html"
    if page.layout == Page.Layout.HOME:
        template = "pages/home.html"
        context["latest_posts"] = Post.objects.for_reader(language)[:3]
    elif page.layout == Page.Layout.TEAM:
        template = "pages/team.html"
        members = TeamMember.objects.filter(active=True).prefetch_related("translations")
        context["team"] = [{"member": member, **member.localised(language)} for member in members]
    return render(request, template, context)
