from django.contrib import admin
from reversion.admin import VersionAdmin

from bpd.news.models import Post, Tag
from bpd.website.document_admin import PreviewAdminMixin, RevisionCompareAdminMixin


@admin.register(Post)
class PostAdmin(PreviewAdminMixin, RevisionCompareAdminMixin, VersionAdmin):
    preview_template = "news/preview.html"
    list_display = ["title", "language", "published_at", "author_name", "needs_review"]
    list_filter = ["language", "needs_review", "tags"]
    search_fields = ["title", "body", "slug", "author_name"]
    date_hierarchy = "published_at"
    filter_horizontal = ["tags"]
    prepopulated_fields = {"slug": ["title"], "translation_key": ["title"]}
    fields = [
        "title", "slug", "language", "translation_key", "published_at", "author_name",
        "description", "body", "body_format", "tags", "image", "image_alt", "needs_review",
        "source_path",
    ]  # fmt: skip
    readonly_fields = ["source_path"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
