from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from bpd.background import views as background_views
from bpd.members.views import JoinView
from bpd.website import views as website_views

# Staff sign in like everyone else, with an emailed code; the admin has no password form.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", website_views.robots_txt, name="robots"),
    path("sitemap.xml", website_views.sitemap_xml, name="sitemap"),
    path("favicon.ico", website_views.favicon, name="favicon"),
    path("healthz", website_views.healthz, name="healthz"),
    path("healthz/ready", background_views.ready, name="ready"),
]
urlpatterns += i18n_patterns(
    path("news/", include("bpd.news.urls")),
    # Our join page replaces allauth's sign-up view; the rest of allauth is used as is.
    path("accounts/signup/", JoinView.as_view(), name="account_signup"),
    # Sign-in is by code only; the password form is never shown.
    path(
        "accounts/login/",
        RedirectView.as_view(pattern_name="account_request_login_code", query_string=True),
    ),
    path("accounts/", include("allauth.urls")),
    path("fund/", include("bpd.fund.urls")),
    path("events/", include("bpd.events.urls")),
    path("conferences/", include("bpd.conferences.urls")),
    path("communities/", include("bpd.communities.urls")),
    path("money/", include("bpd.ledger.urls")),
    path("partners/", include("bpd.partners.urls")),
    path("learning/", include("bpd.learning.urls")),
    path("insights/", include("bpd.insights.views")),
    path("styleguide/", website_views.styleguide, name="styleguide"),
    # Unprefixed paths after the prefixed ones: each prefix is one check that fails fast,
    # so a public page under /communities/ does not first try every members' path.
    path("", include("bpd.members.urls")),
    path("", include("bpd.background.urls")),
    # Pages last: their catch-all pattern takes any path nothing else claimed.
    path("", include("bpd.pages.urls")),
    prefix_default_language=False,
)
# Errors: a shared service (Redis, the database) that is down gets a 503 page.
handler500 = "bpd.website.views.server_error"

if settings.SERVE_MEDIA:
    # django.conf.urls.static.static() only works with DEBUG on; tests run with it off.
    urlpatterns += [
        re_path(
            r"^{}(?P<path>.*)$".format(settings.MEDIA_URL.lstrip("/")),
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
