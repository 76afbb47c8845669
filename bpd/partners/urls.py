from bpd.partners.views import manage, member, portal, public

app_name = "partners"
# Each views module lists its own paths: the public Partners page and each partner's
# page, the member's offers and claims, staff management, and the partner portal. The
# public index comes first (most of the traffic); a partner's own page ("<slug>/") last,
# so it never hides another path.
urlpatterns = [
    *getattr(public, "public_patterns", []),
    *member.urlpatterns,
    *manage.urlpatterns,
    *portal.urlpatterns,
    *public.urlpatterns,
]
