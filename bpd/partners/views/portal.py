"""Partners: the portal pages (being built)."""

urlpatterns = []
