"""The treasurer's ledger pages: the totals (per pool, per year and programme, per year
and region) and the ledger itself, filtered and paginated, each also as CSV. For the
treasurer and executors (`treasurer_required`). Read-only: money is recorded by the
programmes' own pages (the Fund's bookings, payments to organisers)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from bpd.ledger import exports, selectors
from bpd.ledger.forms import EntryFilterForm
from bpd.members.roles import treasurer_required

PER_PAGE = 50


def _totals():
    pools = selectors.pools()
    rows = selectors.pool_rows(pools)
    return rows, selectors.by_year_and_programme(rows), selectors.by_region()


@treasurer_required
def overview(request):
    rows, programmes, places = _totals()
    context = {"pool_rows": rows, "programme_rows": programmes, "region_rows": places}
    return render(request, "ledger/overview.html", context)


@treasurer_required
def totals_csv(request):
    return exports.totals_csv(*_totals())


def _filtered(request):
    form = EntryFilterForm(request.GET or None, pools=selectors.pools())
    return form, selectors.entries(**form.filters())


@treasurer_required
def entries(request):
    form, rows = _filtered(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "query": query.urlencode(),
        "filtered": bool(request.GET.keys() - {"page"}),
    }
    return render(request, "ledger/entries.html", context)


@treasurer_required
def entries_csv(request):
    _form, rows = _filtered(request)
    return exports.entries_csv(rows)


urlpatterns = [
    path("", overview, name="overview"),
    path("totals.csv", totals_csv, name="totals_csv"),
    path("entries/", entries, name="entries"),
    path("entries.csv", entries_csv, name="entries_csv"),
]
