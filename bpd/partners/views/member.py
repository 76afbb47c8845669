"""Partners: the member pages (being built)."""

urlpatterns = []
