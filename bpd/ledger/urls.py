from bpd.ledger.views import pages

app_name = "ledger"
urlpatterns = [*pages.urlpatterns]
