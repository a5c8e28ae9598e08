from django.contrib import admin

from projects.models import (
    Decision,
    FundingProgramme,
    Project,
    ProjectAttachment,
    ProjectImage,
    Review,
    Submission,
)


@admin.register(FundingProgramme)
class FundingProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ImageInline(admin.TabularInline):
    model = ProjectImage
    fields = ["alt_text", "caption", "position"]
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = ProjectAttachment
    fields = ["title", "original_name", "content_type", "size"]
    readonly_fields = ["original_name", "content_type", "size"]
    extra = 0


class ReviewInline(admin.StackedInline):
    model = Review
    extra = 0


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0


class SubmissionInline(admin.TabularInline):
    model = Submission
    fields = ["number", "submitted_by", "submitted_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "organisation", "region", "submitted_by", "accepted_at"]
    list_filter = ["status", "region", "funding_programme", "trades", "topics"]
    search_fields = ["title", "summary", "submitted_by__email"]
    readonly_fields = ["space", "status", "submitted_at", "accepted_at", "audience"]
    filter_horizontal = ["trades", "topics"]
    inlines = [ImageInline, AttachmentInline, SubmissionInline, ReviewInline, DecisionInline]
