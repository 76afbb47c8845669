from django.urls import path, re_path

from bpd.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.page_detail, name="home"),
    # Only slash-terminated paths, so CommonMiddleware's APPEND_SLASH redirects the rest.
    re_path(r"^(?P<path>(?:[\w-]+/)+)$", views.page_detail, name="detail"),
]
