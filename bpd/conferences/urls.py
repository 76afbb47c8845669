from bpd.conferences.views import imports, manage, public

app_name = "conferences"
# The public list, deadlines, following and suggesting; staff moderation; importing.
# Staff's fixed paths first: the public <slug:slug>/ would take "manage/".
urlpatterns = [*manage.urlpatterns, *imports.urlpatterns, *public.urlpatterns]
