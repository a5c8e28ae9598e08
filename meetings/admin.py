from django.contrib import admin

from meetings.models import AgendaItem, Meeting, Participant


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter", "presenter_name", "duration_minutes"]
    raw_id_fields = ["presenter"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["user", "name", "organisation", "email", "response", "note", "attended"]
    raw_id_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "space", "audience"]
    list_filter = ["kind", "status", "space"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["created_by", "next_meeting"]
    # Space and audience change only through the portal, where widening is recorded and notified.
    readonly_fields = ["space", "audience", "sequence", "agenda_published_at"]
    inlines = [AgendaItemInline, ParticipantInline]
