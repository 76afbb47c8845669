from django.contrib import admin

from bpd.fund.models import (
    Application,
    Booking,
    Criterion,
    ExchangeRate,
    Round,
    RoundText,
    VisaDataset,
    WaitTimeImport,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class RoundTextInline(admin.StackedInline):
    model = RoundText
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_at", "closes_at", "currency", "budget"]
    inlines = [RoundTextInline, CriterionInline]
    filter_horizontal = ["reviewers"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the Fund's pages so it is audited."""

    list_display = ["__str__", "status", "verdict", "submitted_at"]
    list_filter = ["round", "status", "verdict"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "application", "status", "amount", "currency"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(ExchangeRate)
admin.site.register(VisaDataset)
admin.site.register(WaitTimeImport)
