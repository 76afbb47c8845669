"""tickets pages (filled in by its helper)."""

urlpatterns = []
