"""Pictures and attachments, served only through the project's ring rules (there is no public media URL)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404

from portal.viewhelpers import anonymous_to_login
from projects import selectors
from projects.models import Project, ProjectAttachment, ProjectImage


def _cache_control(project: Project) -> str:
    # What the public may see may be cached anywhere; anything else only by the person's own browser.
    return "public, max-age=86400" if project.audience_id is None else "private, no-store"


def _picture(request, slug: str, pk: int) -> tuple[Project, ProjectImage]:
    project = selectors.project_detail(user=request.user, slug=slug)
    return project, get_object_or_404(ProjectImage, project=project, pk=pk)


@anonymous_to_login
def image_file(request, slug: str, pk: int):
    project, picture = _picture(request, slug, pk)
    return _inline(picture.image, project)


@anonymous_to_login
def thumbnail_file(request, slug: str, pk: int):
    project, picture = _picture(request, slug, pk)
    return _inline(picture.thumbnail, project)


def _inline(field, project: Project) -> FileResponse:
    content_type = "image/png" if field.name.endswith(".png") else "image/jpeg"
    response = FileResponse(field.open("rb"), content_type=content_type)
    response["Cache-Control"] = _cache_control(project)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@anonymous_to_login
def attachment_file(request, slug: str, pk: int):
    project = selectors.project_detail(user=request.user, slug=slug)
    attachment = get_object_or_404(ProjectAttachment, project=project, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = _cache_control(project)
    return response
