from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Model projects: submission, review and the public showcase."""

    name = "projects"
    verbose_name = _("Modellprojekte")
