from bpd.communities.views import community, payments, sponsorship, tickets

app_name = "communities"
# Each views module lists its own paths: communities (directory, proposals, leaders),
# sponsorship requests and policy, the treasurer's payments, tickets and draws.
# A community's own page ("<slug>/...") comes last, so it never hides another path.
# The public pages come first: they are most of the traffic, and Django tries paths in order.
urlpatterns = [
    *community.public_patterns,
    *sponsorship.public_patterns,
    *tickets.public_patterns,
    *sponsorship.urlpatterns,
    *payments.urlpatterns,
    *tickets.urlpatterns,
    *community.urlpatterns,
    *getattr(community, "slug_patterns", []),
]
