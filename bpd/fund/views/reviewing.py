"""Reviewers' pages: the queue, the review form, conflicts, the committee table."""

import hashlib

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bpd.fund import selectors, services
from bpd.fund.forms import ReviewForm
from bpd.fund.models import (
    Application,
    Review,
    Round,
)
from bpd.fund.views.common import _attempt, conflict_forms
from bpd.fund.views.deciding import decide_page
from bpd.members.roles import is_executor
from bpd.website import languages
from bpd.website.versions import versioned

ROWS_PER_PAGE = 100


@login_required
def review_queue(request, slug):
    round = get_object_or_404(Round.objects.reviewed_by(request.user), slug=slug)
    applications = selectors.reviewer_queue(round, request.user)
    return render(request, "fund/review_queue.html", {"round": round, "applications": applications})


def _reviewable(request, pk):
    related = ("round", "event", "origin_city")
    return get_object_or_404(
        Application.objects.reviewable_by(request.user).select_related(*related), pk=pk
    )


def _review_page(request, application, form=None, conflict=None):
    criteria = application.round.criteria.all()
    mine = (
        Review.objects.filter(application=application, reviewer=request.user)
        .prefetch_related("scores")
        .first()
    )
    if form is None:
        form = ReviewForm(criteria=criteria, initial=selectors.review_initial(mine))
    others = []
    if mine and mine.submitted_at:
        others = (
            Review.objects.filter(application=application, submitted_at__isnull=False)
            .exclude(reviewer=request.user)
            .prefetch_related("scores__criterion")
        )
    conflict_form, confirm_form = conflict or conflict_forms()
    context = {
        "application": application,
        "form": form,
        "conflict_form": conflict_form,
        "confirm_form": confirm_form,
        "others": others,
        "mine": mine,
        "costs": application.costs.all(),
    }
    return render(request, "fund/review.html", context)


@login_required
def review(request, pk):
    application = _reviewable(request, pk)
    if request.method != "POST":
        return _review_page(request, application)
    mine = Review.objects.filter(application=application, reviewer=request.user).first()
    form = ReviewForm(
        request.POST,
        criteria=application.round.criteria.all(),
        initial=selectors.review_initial(mine),
    )
    if not form.is_valid():
        return _review_page(request, application, form=form)
    _attempt(
        request,
        lambda: services.submit_review(
            application=application,
            reviewer=request.user,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        ),
        _("Review submitted. You can now see the other reviewers' scores."),
    )
    return redirect("fund:review", application.pk)


@login_required
@require_POST
def declare_conflict(request, pk):
    """Reviewers (from the review page) and executors (from the decide page) declare a
    conflict of interest; the application then leaves their work for good. Nothing happens
    until the "I understand" box is ticked: the page comes back saying so."""
    application = get_object_or_404(
        Application.objects.conflict_declarable_by(request.user).select_related("round"), pk=pk
    )
    reviewing = Application.objects.reviewable_by(request.user).filter(pk=pk).exists()
    form, confirm = conflict_forms(request.POST)
    if not all([form.is_valid(), confirm.is_valid()]):
        if reviewing:
            return _review_page(request, _reviewable(request, pk), conflict=(form, confirm))
        return decide_page(request, application, conflict=(form, confirm))
    declared = _attempt(
        request,
        lambda: services.declare_conflict(
            application=application, reviewer=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Conflict recorded. This application is no longer in your queue."),
    )
    if not declared:
        return redirect("fund:review" if reviewing else "fund:decide", application.pk)
    if reviewing:
        return redirect("fund:review_queue", application.round.slug)
    return redirect("fund:allocate", application.round.slug)


@login_required
def committee(request, slug):
    round = get_object_or_404(Round.objects.committee_for(request.user), slug=slug)
    executor = is_executor(request.user)
    # Each person's table is kept until any application, review or decision changes:
    # reviewers' tables differ (their conflicts are left out), so the key names the viewer.
    raw = "|".join(
        str(part)
        for part in (round.pk, request.user.pk, executor, languages.current(),
                     request.GET.urlencode(), selectors.FUND.get())
    )  # fmt: skip
    key = "committee:" + hashlib.sha1(raw.encode()).hexdigest()
    table = versioned.get(key)
    if table is None:
        ranked = selectors.committee_queryset(round, request.user)
        page = Paginator(ranked, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        context = {
            "round": round,
            "rows": selectors.committee_rows(page.object_list),
            "page_obj": page,
            "is_executor": executor,
        }
        table = render_to_string("fund/_committee_table.html", context, request=request)
        versioned.set(key, table, 600)
    # Rendered by us from our own template: safe to insert as HTML.
    context = {"round": round, "table": mark_safe(table), "is_executor": executor}
    return render(request, "fund/committee.html", context)
