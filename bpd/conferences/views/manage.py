"""Staff moderation of the conference list: the queue of suggestions, and the editor
where a conference is changed, published or rejected."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from bpd.conferences import selectors, services
from bpd.conferences.forms import RejectForm, StaffForm
from bpd.conferences.models import Conference
from bpd.members.roles import executor_required


@executor_required
def moderate(request):
    """Suggestions waiting (members' and Fund applicants'), then the published list."""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.published_for_staff(q=q), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "conferences/moderate.html",
        {
            "queue": selectors.moderation_queue(),
            "page_obj": page,
            "q": q,
            "query": query.urlencode(),
        },
    )


@executor_required
def review(request, pk):
    """Edit every fact and deadline; publish; or reject with a reason."""
    conference = get_object_or_404(Conference.objects.select_related("suggested_by"), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = StaffForm(request.POST if action in {"save", "publish"} else None, instance=conference)
    reject_form = RejectForm(request.POST if action == "reject" else None)
    if action in {"save", "publish"} and form.is_valid():
        try:
            services.save_conference(
                conference=conference,
                by=request.user,
                data=form.conference_data(),
                deadlines=form.deadlines(),
            )
            if action == "publish":
                services.publish(conference=conference, by=request.user)
        except services.ConferenceError as error:
            messages.error(request, str(error))
            return redirect("conferences:review", conference.pk)
        messages.success(request, _("Published.") if action == "publish" else _("Saved."))
        return redirect("conferences:moderate")
    if action == "reject" and reject_form.is_valid():
        try:
            services.reject(
                conference=conference, by=request.user, reason=reject_form.cleaned_data["reason"]
            )
        except services.ConferenceError as error:
            messages.error(request, str(error))
            return redirect("conferences:review", conference.pk)
        messages.success(request, _("Rejected; the member who suggested it is told why."))
        return redirect("conferences:moderate")
    return render(
        request,
        "conferences/review.html",
        {"conference": conference, "form": form, "reject_form": reject_form},
    )


urlpatterns = [
    path("manage/", moderate, name="moderate"),
    path("manage/<int:pk>/", review, name="review"),
]
