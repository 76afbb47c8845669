from django.shortcuts import render

from bpd.pages.models import Page, TeamMember
from bpd.website import languages, page_components, registry
from bpd.website.caching import public_page
from bpd.website.documents import document_context, find_document


@public_page
def page_detail(request, path=""):
    language = languages.current()
    page, is_fallback = find_document(Page.objects.all(), language, path=path)
    context = document_context(page, is_fallback)
    # The text with the live lists its [[component:NAME]] markers ask for.
    context["body_parts"] = page_components.body_parts(page.body_html, request, language)
    template = "pages/page.html"
    if page.layout == Page.Layout.HOME:
        template = "pages/home.html"
        # What other apps show on the home page (news: the latest posts).
        context["home_sections"] = registry.home_sections(request, language)
        context["programmes"] = registry.programmes()
    elif page.layout == Page.Layout.TEAM:
        template = "pages/team.html"
        members = TeamMember.objects.filter(active=True).prefetch_related("translations")
        context["team"] = [{"member": member, **member.localised(language)} for member in members]
    return render(request, template, context)
