from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Model projects: submission, review and the public showcase."""

    name = "projects"
    verbose_name = _("Modellprojekte")

    def ready(self):
        # Only to keep the start page's cached cards fresh; no flow of the app runs through signals.
        from django.db.models.signals import post_delete, post_save

        from projects import kinds  # noqa: F401 - registers the notification kinds
        from projects.catalogue import forget_showcase
        from projects.models import Project, ProjectImage

        for model in (Project, ProjectImage):
            post_save.connect(forget_showcase, sender=model, dispatch_uid=f"showcase-save-{model.__name__}")
            post_delete.connect(
                forget_showcase, sender=model, dispatch_uid=f"showcase-delete-{model.__name__}"
            )
