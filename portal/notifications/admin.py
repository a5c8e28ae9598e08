"""Delivery state for staff: what is pending, what was sent, what failed and why."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.notifications import services
from portal.notifications.models import Delivery, Event, Mail, Notification, Preference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = [
        "user",
        "channel",
        "status",
        "attempts",
        "failures",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "kind",
        "space",
        "audience",
        "state",
        "created_at",
        "dispatched_at",
        "sent",
        "pending",
        "failed",
    ]
    list_filter = ["state", "kind", "audience"]
    list_select_related = ["space"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Event._meta.fields]
    inlines = [DeliveryInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
                pending_count=Count(
                    "deliveries",
                    filter=Q(deliveries__status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]),
                ),
                failed_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
            )
        )

    @admin.display(description=_("Verschickt"), ordering="sent_count")
    def sent(self, event):
        return event.sent_count

    @admin.display(description=_("Offen"), ordering="pending_count")
    def pending(self, event):
        return event.pending_count

    @admin.display(description=_("Fehlgeschlagen"), ordering="failed_count")
    def failed(self, event):
        return event.failed_count

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "event",
        "user",
        "channel",
        "status",
        "attempts",
        "failures",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "error",
    ]
    list_filter = ["status", "channel", "event__kind"]
    list_select_related = ["event", "user"]
    search_fields = ["user__email"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("Letzter Fehler"))
    def error(self, delivery):
        return Truncator(delivery.last_error).chars(120)

    @admin.action(description=_("Fehlgeschlagene Zustellungen erneut versuchen"))
    def retry(self, request, queryset):
        count = services.deliveries_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d Zustellung wird erneut versucht.",
                "%(count)d Zustellungen werden erneut versucht.",
                count,
            )
            % {"count": count},
        )

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "event", "user", "created_at", "read_at"]
    list_select_related = ["event", "user"]
    search_fields = ["user__email"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "space", "channel"]
    list_filter = ["kind", "channel"]
    list_select_related = ["user", "space"]
    search_fields = ["user__email"]


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    """What became of the mails to one address; their bodies (codes, reset links) are not shown."""

    list_display = ["pk", "template", "recipient", "status", "attempts", "failures", "created_at", "sent_at"]
    list_filter = ["status", "template"]
    date_hierarchy = "created_at"
    fields = [
        "template",
        "recipient",
        "subject",
        "key",
        "status",
        "attempts",
        "failures",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False
