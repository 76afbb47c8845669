from bpd.events.views import manage, public, rsvp

app_name = "events"
# Each views module lists its own paths: the public pages and feeds, RSVPs and the
# organiser's pages.
# An event's own page ("<slug>/") comes last, so it never hides another path.
urlpatterns = [
    *public.urlpatterns,
    *rsvp.urlpatterns,
    *manage.urlpatterns,
    *public.slug_patterns,
]
