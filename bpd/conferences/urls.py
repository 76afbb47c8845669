from bpd.conferences.views import manage, public

app_name = "conferences"
# The public list, deadlines, following and suggesting; then staff moderation.
urlpatterns = [*public.urlpatterns, *manage.urlpatterns]
