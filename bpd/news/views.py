from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from bpd.news.models import Post, Tag
from bpd.website import languages
from bpd.website.caching import public_page
from bpd.website.documents import document_context, find_document

PER_PAGE = 10


def _listing(request, posts, **context):
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "news/index.html", {"page_obj": page, "posts": page.object_list, **context}
    )


@public_page
def index(request):
    posts = Post.objects.for_reader(languages.current()).prefetch_related("tags")
    return _listing(request, posts, heading=_("News"))


@public_page
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    posts = tag.posts.for_reader(languages.current()).prefetch_related("tags")
    return _listing(request, posts, heading=_("News tagged “%(tag)s”") % {"tag": tag.name}, tag=tag)


@public_page
def detail(request, slug):
    post, is_fallback = find_document(
        Post.objects.published().prefetch_related("tags"), languages.current(), slug=slug
    )
    # A post with no English original cannot be shown under another language's prefix;
    # the switcher leads to that language's news instead.
    context = document_context(post, is_fallback, elsewhere=_index_in)
    return render(request, "news/detail.html", context)


def _index_in(language):
    return languages.prefixed("news/", language)
