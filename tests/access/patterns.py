"""Every URL pattern the project mounts, named or not, and a URL to visit for each."""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name"; an unnamed pattern is known by its route
    route: str  # the full route as written, e.g. "fund/applications/<int:pk>/"
    regex: str  # the full regular expression, for building a URL from arguments

    @property
    def params(self):
        return _normalized(self.regex)[1]

    def url(self, kwargs):
        """The path for `kwargs`; raises KeyError naming the first argument missing."""
        text, params = _normalized(self.regex)
        return "/" + text % {name: kwargs[name] for name in params}


@cache
def _normalized(regex):
    return normalize(regex)[0]


def all_patterns():
    """Each mounted pattern once, in the order the resolver tries them."""
    return list(_walk(get_resolver().url_patterns))


def _walk(entries, route="", regex="", namespace=None):
    for entry in entries:
        here_route = route + str(entry.pattern)
        here_regex = regex + entry.pattern.regex.pattern.removeprefix("^")
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _walk(entry.url_patterns, here_route, here_regex, inner or namespace)
            continue
        if entry.name:
            key = f"{namespace}:{entry.name}" if namespace else entry.name
        else:
            key = here_route
        yield Pattern(key=key, route=here_route, regex=here_regex)


def admin_sample(pattern):
    """Arguments for one of the admin's own patterns, found from its route: a real row of
    the model it belongs to, so change, history and delete pages open a real object."""
    parts = pattern.route.split("/")
    kwargs = {"app_label": "members", "url": "no-such-page/", "_0": "1", "_1": "1"}
    if len(parts) > 2:
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            model = None
        if model is not None:
            first = model._default_manager.order_by("pk").first()
            if first is not None:
                kwargs["object_id"] = kwargs["id"] = first.pk
    if pattern.key == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        from bpd.pages.models import Page

        kwargs["content_type_id"] = ContentType.objects.get_for_model(Page).pk
        kwargs["object_id"] = Page.objects.order_by("pk").first().pk
    return kwargs
