"""The insights' scheduled work (run by the task worker, see bpd.background)."""

from django.utils.translation import gettext_lazy as _

from bpd.background import jobs
from bpd.insights import services


@jobs.job(
    "insights.refresh",
    every=jobs.DAILY,
    label=_("Count members, activity and money per place for the insights pages"),
)
def refresh():
    snapshot = services.refresh()
    total = snapshot.public["places"]["total"]
    return f"figures computed (members: {total[1] if total[1] is not None else total[0]})"
