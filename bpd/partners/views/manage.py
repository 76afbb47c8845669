"""Partners: the manage pages (being built)."""

urlpatterns = []
