from bpd.conferences.views import imports, manage, public

app_name = "conferences"
# The public list, deadlines, following and suggesting; staff moderation; importing.
urlpatterns = [*public.urlpatterns, *manage.urlpatterns, *imports.urlpatterns]
