"""The two rules published figures go through (settings say the group sizes)."""

from django.conf import settings

from bpd.insights.suppression import Rule


def public():
    """Public pages, CSVs and JSON: groups of BPD_INSIGHTS_MIN_GROUP (10) or more,
    rounded to 5."""
    return Rule(k=settings.INSIGHTS_MIN_GROUP, base=5)


def staff():
    """The executors' and treasurer's page: a smaller group (never below 5, see
    settings), rounded to 5 as in public: with exact counts, one small sub-region hides
    its whole region (the region minus its other sub-region would give it away)."""
    return Rule(k=settings.INSIGHTS_STAFF_MIN_GROUP, base=5)
