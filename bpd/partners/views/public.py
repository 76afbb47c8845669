"""The public Partners page and each partner's page: who gives members what, and what
they give back to BPD. Cached for visitors (`public_page`); the partners' models are
public content, so an edit shows at once, and an offer's start or end drops the cache
(`selectors.next_change`)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from bpd.partners import selectors
from bpd.website.caching import public_page


@require_GET
@public_page
def index(request):
    context = {"partners": selectors.public_partners()}
    return render(request, "partners/public/index.html", context)


@require_GET
@public_page
def detail(request, slug):
    shown = selectors.partner_page(slug, request.user)
    if shown is None:
        raise Http404
    return render(request, "partners/public/detail.html", {"shown": shown})


public_patterns = [
    path("", index, name="index"),
]
# A partner's own address takes any slug: partners/urls.py lists it after every other path.
urlpatterns = [
    path("<slug:slug>/", detail, name="detail"),
]
