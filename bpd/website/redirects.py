"""Permanent redirects from the old site's addresses (docs/redirects.md).

Writes: `add_redirect`, `remove_redirects`. Read: `target_for`, which the 404 fallback
(`middleware.RedirectFallbackMiddleware`) calls once per page not found.

Both paths are stored in one form, the one Django gives `request.get_full_path()`:
percent-decoded, then quoted again with `escape_uri_path`. So `/caf%C3%A9`, `/café` and
`/caf%c3%a9` are one address, and a request for any of them finds it.

Stored redirects never form a chain: no `new_path` is, with or without a final slash,
the `old_path` of another row (the fallback matches both forms). Adding one that would
make a chain points it (or the rows pointing at it) straight at the final target
instead, so a reader always gets one hop.
"""

from urllib.parse import unquote_to_bytes, urlsplit

from django.db import transaction
from django.utils.encoding import escape_uri_path, repercent_broken_unicode
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from bpd.website.models import Redirect

MAX_LENGTH = Redirect._meta.get_field("old_path").max_length


class RedirectError(ValueError):
    """A redirect that may not be stored; `field` names the path at fault."""

    def __init__(self, field, message):
        super().__init__(str(message))
        self.field = field


def normalise_path(path):
    """`path` in its stored form: percent-decoded, then quoted as Django quotes a request's
    path. Idempotent; invalid UTF-8 stays percent-encoded as Django keeps it."""
    text = repercent_broken_unicode(unquote_to_bytes(path)).decode()
    return escape_uri_path(text)


def is_local(path):
    """True for a path on this site ("/…"), never another host ("//…", "/\\…", "https:…")."""
    return (
        path.startswith("/")
        and not path.startswith("//")
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    )


def _old(value):
    value = str(value).strip()
    scheme = urlsplit(value).scheme if "://" in value else ""
    if scheme:
        # The old site's full address ("https://blackpythondevs.com/about.html"): only its
        # path matters, since the request that looks it up is for this host anyway.
        if scheme.lower() not in {"http", "https"}:
            raise RedirectError(
                "old_path", _("The old address must be a path such as /about.html.")
            )
        value = urlsplit(value).path or "/"
    value = value.split("#", 1)[0].split("?", 1)[0]
    if not value.startswith("/"):
        raise RedirectError("old_path", _("The old address must start with “/”."))
    path = normalise_path(value)
    if len(path) > MAX_LENGTH:
        raise RedirectError("old_path", _("The old address is too long."))
    return path


def _new(value):
    value = str(value).strip()
    if "?" in value or "#" in value:
        raise RedirectError("new_path", _("The new address is a path only, without “?” or “#”."))
    path = normalise_path(value)
    # Checked before and after: decoding can make "/%2F…" into "//…", which a browser
    # reads as another host.
    if not (is_local(value) and is_local(path)):
        raise RedirectError(
            "new_path",
            _("The new address must be a path on this site, such as /about/, not another site."),
        )
    if len(path) > MAX_LENGTH:
        raise RedirectError("new_path", _("The new address is too long."))
    return path


def _same_page(a, b):
    # "/coc" and "/coc/" are one page to a reader: CommonMiddleware adds the slash.
    return a.rstrip("/") == b.rstrip("/")


def check_redirect(old_path, new_path):
    """The normalised old path and the final target a redirect from `old_path` to
    `new_path` would get; raises RedirectError (a ValueError) if it may not be stored."""
    old, new = _old(old_path), _new(new_path)
    if _same_page(old, new):
        raise RedirectError("new_path", _("The new address is the old one."))
    # Stored rows are never chained, so one step reaches the final target: the one a
    # reader asking for `new` would be sent to (an exact match first, as target_for).
    forms = candidates(new)
    found = dict(Redirect.objects.filter(old_path__in=forms).values_list("old_path", "new_path"))
    final = next((found[form] for form in forms if form in found), new)
    if _same_page(final, old):
        raise RedirectError(
            "new_path",
            _("%(new)s already redirects to %(old)s; this would make a loop.")
            % {"new": new, "old": old},
        )
    pointing = Redirect.objects.filter(new_path__in=candidates(old)).values_list(
        "old_path", flat=True
    )
    for other in pointing:
        if _same_page(other, final):
            raise RedirectError(
                "new_path",
                _("%(other)s redirects to %(old)s; this would send it back to itself.")
                % {"other": other, "old": old},
            )
    return old, final


def add_redirect(old_path, new_path, *, source=""):
    """Redirect `old_path` permanently to `new_path`, replacing any redirect from
    `old_path`. Returns (redirect, created). If `new_path` is itself redirected, the new
    redirect goes to its final target; redirects that pointed at `old_path` are moved
    to that target too. Raises ValueError (RedirectError) for a path that is not local,
    a redirect to itself, one that would make a loop, or a source over 100 characters."""
    if len(source) > Redirect._meta.get_field("source").max_length:
        raise RedirectError("source", _("The source is too long."))
    with transaction.atomic():
        old, final = check_redirect(old_path, new_path)
        redirect, created = Redirect.objects.update_or_create(
            old_path=old, defaults={"new_path": final, "source": source}
        )
        Redirect.objects.filter(new_path__in=candidates(old)).update(new_path=final)
    return redirect, created


def remove_redirects(source):
    """Delete every redirect added with `source`; returns how many."""
    deleted, _by_model = Redirect.objects.filter(source=source).delete()
    return deleted


def candidates(path):
    """The stored forms a request for `path` may match: exactly, then with or without a
    final slash; those longer than a stored path can be are left out."""
    forms = [path]
    if path.endswith("/"):
        if len(path) > 1:
            forms.append(path.rstrip("/") or "/")
    else:
        forms.append(path + "/")
    return [form for form in forms if len(form) <= MAX_LENGTH]


def target_for(path):
    """Where a reader asking for `path` is sent, or None. One query at most (none for a
    path longer than any stored one). `path` may be quoted or not."""
    path = normalise_path(path)
    forms = candidates(path)
    if not forms:
        return None
    found = dict(Redirect.objects.filter(old_path__in=forms).values_list("old_path", "new_path"))
    for form in forms:
        target = found.get(form)
        # A row written past add_redirect (a shell, a fixture) is checked again here: a
        # redirect to another host, or back to this very path, is never sent.
        if target is not None and is_local(target) and not _same_page(target, path):
            return target
    return None
