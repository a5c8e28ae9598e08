from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from groups.models import (
    AudienceChange,
    Document,
    DocumentVersion,
    InformationPage,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    Organisation,
    Post,
    Profile,
    Question,
    Space,
    Subscriber,
    Thread,
    Topic,
    Trade,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "organisation_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name", "organisation_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "organisation_name", "language"]}),
        (_("Rechte"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Daten"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "admission", "is_fachgruppe", "min_project_reviews"]
    # The tree decides who sees what: moving a space would re-draw every ring at once.
    readonly_fields = ["is_fachgruppe"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # The tree decides who sees what: moving an existing space would re-draw every ring at once.
        return ["is_fachgruppe", "parent"] if obj is not None else ["is_fachgruppe"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Trade, Topic)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "function", "advises_crafts"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    filter_horizontal = ["trades", "topics"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "space", "status", "created_at", "decided_by"]
    list_filter = ["status", "space"]
    list_select_related = ["user", "space", "decided_by"]
    readonly_fields = ["created_at", "decided_at", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "space", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["space", "role"]
    list_select_related = ["space"]
    exclude = ["token"]
    readonly_fields = ["invited_by", "accepted_at", "accepted_by"]


class PostInline(admin.StackedInline):
    model = Post
    extra = 0
    readonly_fields = ["author", "created_at", "edited_at"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "audience", "is_pinned", "is_closed", "last_activity_at"]
    list_filter = ["space", "is_pinned", "is_closed"]
    list_select_related = ["space", "audience"]
    search_fields = ["title"]
    # Widening goes through the portal, where it is recorded; the admin cannot narrow an audience
    # nor move the thread to another space.
    readonly_fields = ["space", "audience"]
    inlines = [PostInline]


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "audience", "updated_at"]
    list_filter = ["space"]
    list_select_related = ["space", "audience"]
    search_fields = ["title"]
    readonly_fields = ["space", "audience"]
    inlines = [DocumentVersionInline]


@admin.register(AudienceChange)
class AudienceChangeAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "from_audience", "to_audience", "changed_by", "changed_at"]
    list_select_related = ["content_type", "from_audience", "to_audience", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    list_display = [
        "changed_at",
        "space",
        "person",
        "action",
        "role_before",
        "role_after",
        "changed_by",
        "via",
    ]
    list_filter = ["action", "space"]
    list_select_related = ["space", "person", "changed_by", "via"]
    search_fields = ["person__email", "changed_by__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "asked_by", "status", "assignee", "created_at"]
    list_filter = ["status", "space"]
    list_select_related = ["asked_by", "assignee"]
    search_fields = ["title", "working_group", "asked_by__email"]
    filter_horizontal = ["trades", "topics"]
    # Triage goes through the portal, where each transition is checked and the asker is told.
    readonly_fields = [
        "space",
        "audience",
        "asked_by",
        "status",
        "assignee",
        "thread",
        "merged_into",
        "decline_reason",
        "decided_by",
        "decided_at",
        "answered_at",
    ]


@admin.register(InformationPage)
class InformationPageAdmin(admin.ModelAdmin):
    list_display = ["title", "space", "audience", "published_at", "updated_at"]
    list_filter = ["space", "trades", "topics"]
    list_select_related = ["space", "audience"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["trades", "topics"]
    # Publishing goes through the portal, where it is recorded and the subscribers are mailed.
    readonly_fields = ["space", "audience", "published_at", "source_question", "author"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["language"]
    search_fields = ["email"]
    # The consent record (when asked, when confirmed, when withdrawn) is evidence: nobody edits it.
    readonly_fields = ["email", "created_at", "confirmation_sent_at", "confirmed_at", "unsubscribed_at"]
    filter_horizontal = ["trades", "topics"]

    def has_add_permission(self, request):
        return False
