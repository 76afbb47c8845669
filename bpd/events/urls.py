from bpd.events.views import manage, public, rsvp

app_name = "events"
# Each views module lists its own paths: the public pages and feeds, RSVPs and the
# organiser's pages.
urlpatterns = [*public.urlpatterns, *rsvp.urlpatterns, *manage.urlpatterns]
