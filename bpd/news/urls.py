from django.urls import path

from bpd.news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed.atom", feeds.NewsFeed(), name="feed"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("<slug:slug>/", views.detail, name="detail"),
]
