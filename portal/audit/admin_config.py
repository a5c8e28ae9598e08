"""Django's admin, on a site that records every change in the audit log."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django's admin with a site whose every ModelAdmin records its changes in the audit log,
    third-party ones (allauth, auth groups) included (portal.audit.admin_site.AuditedAdminSite)."""

    default_site = "portal.audit.admin_site.AuditedAdminSite"
