"""The treasurer's ledger pages (filled in by its helper)."""

urlpatterns = []
