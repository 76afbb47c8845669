"""Where the domain apps plug into the shared site.

`bpd.website` is the ground floor: it imports no domain app. The layout, the home
page, the sitemap and the page cache learn what the apps contribute from these
registries instead. Each app adds its entries once, in its `AppConfig.ready()`
(news: `registry.add_menu_link("header", _("News"), "news:index", order=20)`).

The registries are read while a request is served, never at import time, so the
order in which apps become ready does not matter; every entry carries an `order`
(lower first) so what the reader sees does not depend on INSTALLED_APPS either.
Adding an entry twice (a test calling `ready()` again) adds it twice: register
from `ready()` only.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bpd.website import languages
from bpd.website.versions import CONTENT

# --- Menus ------------------------------------------------------------------------

# header: the main menu; account: the account menu beside it; footer: links under
# every page; feed: Atom feeds announced in every page's <head> (label = feed title).
Placement = Literal["header", "account", "footer", "feed"]


@dataclass(frozen=True)
class MenuItem:
    """One entry as the layout shows it."""

    label: str
    url: str
    current: bool = False  # marked aria-current="page"
    post: bool = False  # a button posting to `url` (signing out), not a link
    group: str = ""  # footer only: the column it belongs in (FOOTER_COLUMNS)


MenuProvider = Callable[[HttpRequest, str], Iterable[MenuItem]]
VisibleTo = Callable[[HttpRequest], bool]


def everyone(request: HttpRequest) -> bool:
    return True


def signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def anonymous(request: HttpRequest) -> bool:
    return not signed_in(request)


_menus: dict[str, list[tuple[int, MenuProvider]]] = {
    "header": [],
    "account": [],
    "footer": [],
    "feed": [],
}


def add_menu(placement: Placement, provider: MenuProvider, *, order: int) -> None:
    """Show what `provider(request, language)` returns in the `placement` menu.

    Called for every page rendered with a request (cache what it reads); it decides
    itself who sees what. For one fixed link, use `add_menu_link`.
    """
    _menus[placement].append((order, provider))
    _menus[placement].sort(key=lambda entry: entry[0])


def add_menu_link(
    placement: Placement,
    label: Any,
    url_name: str,
    *,
    order: int,
    visible: VisibleTo = everyone,
    current: VisibleTo | None = None,
    post: bool = False,
    group: str = "",
) -> None:
    """One link to the URL named `url_name` (reversed in the reader's language), shown
    to those for whom `visible(request)` holds and marked current when `current(request)`
    does. `label` may be a lazy translation: it is translated per request."""

    def provider(request, language):
        if visible(request):
            yield MenuItem(
                label=str(label),
                url=reverse(url_name),
                current=bool(current and current(request)),
                post=post,
                group=group,
            )

    add_menu(placement, provider, order=order)


def menu(placement: Placement, request: HttpRequest, language: str) -> list[MenuItem]:
    """The `placement` menu for this request, in order."""
    return [item for _order, provider in _menus[placement] for item in provider(request, language)]


# The footer's columns, in order; a footer link names its column with `group`.
FOOTER_COLUMNS = {
    "about": _("Black Python Devs"),
    "take-part": _("Take part"),
    "how-we-work": _("How we work"),
}


def footer_columns(request: HttpRequest, language: str) -> list[dict]:
    """The footer menu grouped into its columns (links without a known group go last)."""
    columns = {key: [] for key in FOOTER_COLUMNS}
    for item in menu("footer", request, language):
        columns[item.group if item.group in columns else "how-we-work"].append(item)
    return [
        {"title": str(FOOTER_COLUMNS[key]), "items": items}
        for key, items in columns.items()
        if items
    ]


# --- What you can do here: programmes, the members' hub -----------------------------


@dataclass(frozen=True)
class Programme:
    """A working programme as the home page and Initiatives list it."""

    title: str
    summary: str
    url: str
    action: str  # the link's text, e.g. "Apply to the Fund"


_programmes: list[tuple[int, Callable[[], Programme | None]]] = []


def add_programme(provider: Callable[[], "Programme | None"], *, order: int) -> None:
    """List a working programme on the home page (None leaves it out, e.g. while it has
    nothing open). Called while the page renders, in the reader's language."""
    _programmes.append((order, provider))
    _programmes.sort(key=lambda entry: entry[0])


def programmes() -> list[Programme]:
    return [item for _order, provider in _programmes if (item := provider()) is not None]


@dataclass(frozen=True)
class Task:
    """Something waiting for this person, shown first on the members' hub."""

    text: str
    url: str
    due: "dt.datetime | dt.date | None" = None  # shown as a deadline when set
    urgent: bool = False


@dataclass(frozen=True)
class HubCard:
    """A programme's card on the members' hub: the links this person can use."""

    title: str
    links: list[tuple[str, str]]  # (label, url)
    summary: str = ""


_tasks: list[tuple[int, Callable[[Any], Iterable[Task]]]] = []
_cards: list[tuple[int, Callable[[Any], HubCard | None]]] = []


def add_hub(
    *,
    order: int,
    card: Callable[[Any], "HubCard | None"] | None = None,
    tasks: Callable[[Any], Iterable[Task]] | None = None,
) -> None:
    """Plug a programme into the members' hub: `card(user)` returns its card for that
    person (None: nothing for them), `tasks(user)` what waits for them. Both run on
    every visit to the hub: keep each to a few queries, whatever the data size."""
    if card is not None:
        _cards.append((order, card))
        _cards.sort(key=lambda entry: entry[0])
    if tasks is not None:
        _tasks.append((order, tasks))
        _tasks.sort(key=lambda entry: entry[0])


def hub(user: Any) -> tuple[list[Task], list[HubCard]]:
    """What waits for `user` (most urgent and soonest first), and their cards."""
    waiting = [task for _order, provider in _tasks for task in provider(user)]
    waiting.sort(key=lambda task: (not task.urgent, task.due is None, str(task.due or "")))
    cards = [card for _order, provider in _cards if (card := provider(user)) is not None]
    return waiting, cards


# --- Flags about the viewer ---------------------------------------------------------

_viewer_flags: dict[str, Callable[[Any], bool]] = {}


def add_viewer_flag(name: str, predicate: Callable[[Any], bool]) -> None:
    """Every template rendered with a request gets `name`: `predicate(request.user)`.

    For the parts of an app's own pages that only some people see (`is_executor`).
    Without a user on the request (early errors) the flag is False.
    """
    _viewer_flags[name] = predicate


def viewer_flags(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    return {
        name: bool(user is not None and predicate(user))
        for name, predicate in _viewer_flags.items()
    }


# --- The home page --------------------------------------------------------------------


@dataclass(frozen=True)
class HomeSection:
    """A block on the home page: `template` is included with `section` set to `context`."""

    template: str
    context: dict


SectionProvider = Callable[[HttpRequest, str], dict | None]

_home_sections: list[tuple[int, str, SectionProvider]] = []


def add_home_section(template: str, provider: SectionProvider, *, order: int) -> None:
    """Show `template` on the home page after its text, with the dict that
    `provider(request, language)` returns as `section`; None leaves the block out.
    The home page is cached whole (`caching.public_page`) until content changes."""
    _home_sections.append((order, template, provider))
    _home_sections.sort(key=lambda entry: entry[0])


def home_sections(request: HttpRequest, language: str) -> list[HomeSection]:
    sections = []
    for _order, template, provider in _home_sections:
        context = provider(request, language)
        if context is not None:
            sections.append(HomeSection(template, context))
    return sections


# --- Live lists inside a page's text ----------------------------------------------------


@dataclass(frozen=True)
class PageComponent:
    """A live list an editor places in a page's text (`page_components` finds the markers)."""

    name: str  # what the marker names: [[component:NAME]]
    template: str  # included with `component` set to what `provider` returns
    provider: SectionProvider
    label: Any  # what editors read in the admin; may be a lazy translation


_page_components: dict[str, PageComponent] = {}


def add_page_component(name: str, template: str, provider: SectionProvider, *, label: Any) -> None:
    """Let pages show `template` where their text has a paragraph of its own reading
    `[[component:NAME]]`, with the dict that `provider(request, language)` returns as
    `component`; None shows nothing there. Pages are cached whole for visitors
    (`caching.public_page`): show nothing that depends on who reads, and register what
    the list reads with `add_public_content`. `name` is lower-case letters, digits and
    hyphens."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
        raise ValueError(f"A page component's name is lower-case words with hyphens: {name!r}")
    _page_components[name] = PageComponent(name, template, provider, label)


def page_component(name: str) -> PageComponent | None:
    return _page_components.get(name)


def page_component_names() -> list[str]:
    """The names a `[[component:NAME]]` marker may use, sorted."""
    return sorted(_page_components)


def page_components() -> list[PageComponent]:
    """Every registered page component, by name (the admin lists them for editors)."""
    return [_page_components[name] for name in sorted(_page_components)]


# --- The sitemap --------------------------------------------------------------------


@dataclass(frozen=True)
class Alternate:
    code: str  # language
    url: str  # absolute


@dataclass(frozen=True)
class SitemapEntry:
    """One <url> in /sitemap.xml. URLs are absolute (settings.SITE_URL + path)."""

    url: str
    lastmod: dt.datetime | None = None
    alternates: tuple[Alternate, ...] = ()  # every language version, when there are several
    x_default: str | None = None  # the English original, for hreflang="x-default"


_sitemap: list[tuple[int, Callable[[], Iterable[SitemapEntry]]]] = []


def add_sitemap_section(provider: Callable[[], Iterable[SitemapEntry]], *, order: int) -> None:
    """List what `provider()` returns in /sitemap.xml: an app's public pages, each
    once per language it exists in (`documents.sitemap_entries` does that for documents)."""
    _sitemap.append((order, provider))
    _sitemap.sort(key=lambda entry: entry[0])


def sitemap() -> list[SitemapEntry]:
    return [entry for _order, provider in _sitemap for entry in provider()]


def in_every_language(path: str) -> list[SitemapEntry]:
    """A page that exists in every language at the same path under each language's
    prefix: one entry per language, each naming all of them and the English one as
    x-default."""
    pages = tuple(
        Alternate(code, settings.SITE_URL + languages.prefixed(path, code))
        for code in languages.CODES
    )
    original = settings.SITE_URL + languages.prefixed(path, languages.DEFAULT)
    return [SitemapEntry(url=page.url, alternates=pages, x_default=original) for page in pages]


# --- What invalidates cached public pages ---------------------------------------------

public_content: list[str] = []  # "app_label.Model" of everything registered below


def add_public_content(*models: Any, m2m: Iterable[Any] = ()) -> None:
    """Models (classes or "app_label.Model") whose rows public pages show.

    Saving or deleting one, or changing one of the `m2m` through models, bumps the
    content version (`versions.CONTENT`) now and again after the commit, so cached
    pages, menus and site settings are rebuilt in every process.
    """
    CONTENT.watch(*models, m2m=m2m)
    for model in [*models, *m2m]:
        public_content.append(model if isinstance(model, str) else model._meta.label)


# Content that changes by itself ----------------------------------------------

_scheduled: list[Callable[[], "dt.datetime | None"]] = []


def add_scheduled_content(provider: Callable[[], "dt.datetime | None"]) -> None:
    """`provider()` says when public content next changes with nobody saving anything
    (a post scheduled to appear), or None. Cached pages are dropped at that moment."""
    _scheduled.append(provider)


def next_scheduled_change() -> "dt.datetime | None":
    moments = [moment for provider in _scheduled if (moment := provider()) is not None]
    return min(moments, default=None)


# A member's profile page -------------------------------------------------------

_profile_lines: list[tuple[int, Callable[[Any], Iterable[str]]]] = []


def add_profile_lines(provider: Callable[[Any], Iterable[str]], *, order: int) -> None:
    """Lines a programme adds to a member's profile page ("Completed: Python study
    group"): `provider(user)` returns what that member chose to show, already in the
    reader's words. Only what the member chose: the page is seen by other members."""
    _profile_lines.append((order, provider))
    _profile_lines.sort(key=lambda item: item[0])


def profile_lines(user: Any) -> list[str]:
    return [line for _order, provider in _profile_lines for line in provider(user)]


# Personal data ---------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A titled part of the export written for people (data.md). `rows` are (label, text)
    pairs or (label, text, rows under it) triples, already in the reader's words; a row
    with only a text is a line of its own. `sections` sit under this one, a level down."""

    title: str
    rows: tuple | list = ()
    sections: tuple | list = ()


@dataclass(frozen=True)
class PersonalData:
    """What an app holds about a member: `collect(user)` returns JSON-able data for
    "download my data"; `forget(user, published)` (optional) removes or anonymises it
    before the account is deleted and returns a count for the log; `readable(data)`
    (optional) writes what `collect` returned for people, as `Section`s."""

    name: str
    collect: Callable[[Any], Any]
    forget: Callable[[Any, str], Any] | None = None
    readable: Callable[[Any], Iterable[Section]] | None = None


_personal_data: dict[str, PersonalData] = {}
# "app_label.Model" -> what happens to its rows about a member on export and deletion.
_handled_models: dict[str, str] = {}


def add_personal_data(
    name: str,
    *,
    collect: Callable[[Any], Any],
    forget: Callable[[Any, str], Any] | None = None,
    models: dict[str, str] | None = None,
    readable: Callable[[Any], Iterable[Section]] | None = None,
) -> None:
    """Register an app's part of a member's data export and account deletion. `models`
    names every model of the app that refers to a member, each with a sentence saying
    what export and deletion do with it (a test finds every such model by introspection
    and fails on any that no app has named).

    `readable(data)` gets what `collect` returned and gives it back for people, in the
    reader's language and time zone (it runs inside the request): `Section`s with
    labels instead of keys, names instead of codes, dates and money written out. Without
    it, data.md shows the part under its app's name with its keys read as words."""
    _personal_data[name] = PersonalData(name, collect, forget, readable)
    _handled_models.update(models or {})


def exclude_personal_data(model: str, reason: str) -> None:
    """A model that refers to a member but is neither exported nor changed on deletion
    beyond what its foreign key does, and why (e.g. a third-party app's own log)."""
    _handled_models[model] = reason


def personal_data() -> list[PersonalData]:
    return list(_personal_data.values())


def personal_data_models() -> dict[str, str]:
    return dict(_handled_models)


def flag_required(name: str) -> Callable:
    """A view decorator: only users for whom the viewer flag `name` holds may open the view.
    Lets a lower app guard its pages by a role a higher app defines, e.g.
    `flag_required("is_executor")`."""
    return user_passes(lambda user: name in _viewer_flags and _viewer_flags[name](user))


def user_passes(check: Callable[[Any], bool]) -> Callable:
    """A view decorator: only users for whom `check(user)` holds may open the view;
    anonymous visitors are sent to sign in, everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                # Imported here: auth.views loads the user model, and this module is
                # imported while apps are still loading.
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
