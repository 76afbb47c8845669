"""Partners: the public pages (being built)."""

urlpatterns = []
