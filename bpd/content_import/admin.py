from django.contrib import admin

from bpd.content_import.models import ImportedFile, ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Read-only: runs are made by `import_content` and undone with its --revert."""

    list_display = ["pk", "started_at", "source", "summary", "reverted_at"]
    readonly_fields = ["source", "started_at", "summary", "report", "reverted_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a run is undone with --revert, which also removes what it wrote


@admin.register(ImportedFile)
class ImportedFileAdmin(admin.ModelAdmin):
    list_display = ["source", "file", "width", "height", "run"]
    search_fields = ["source"]
    readonly_fields = ["source", "digest", "file", "width", "height", "run"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a run is undone with --revert, which also removes what it wrote
