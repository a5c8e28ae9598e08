"""Submitting a project: a form in sections that saves drafts, the uploads, and the submission itself.

A validation error re-renders the section with everything typed; nothing is
saved until the section is valid, and nothing valid is ever thrown away.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import access
from portal import once, pagination
from portal.viewhelpers import anonymous_to_login, form_error
from projects import selectors, services
from projects.forms import MEDIA_SECTION, SECTIONS, AttachmentForm, BasicsForm, ImageForm, ProjectCreateForm
from projects.models import Project, ProjectAttachment, ProjectImage

SECTION_ORDER = [*SECTIONS, MEDIA_SECTION]
SUBMIT_STEP = "einreichen"


def _is_submitter(request, project: Project) -> bool:
    """Whether the submit step exists for this person: project_submit is the submitter's page."""
    return project.submitted_by_id == request.user.pk


def _section_links(request, project: Project | None, current: str) -> list[dict]:
    """The editor's steps. The last one, "Prüfen und einreichen", is the submitter's own page
    (project_submit answers 404 to anyone else): a coordinator editing someone's project does
    not see it, and before the first save it is not yet a link."""
    labels = {key: label for key, (label, _form) in SECTIONS.items()} | {
        MEDIA_SECTION: _("Bilder und Anhänge")
    }
    steps = [
        {
            "key": key,
            "label": labels[key],
            "url": reverse("projects:edit", kwargs={"slug": project.slug, "section": key})
            if project
            else None,
            "current": key == current,
        }
        for key in SECTION_ORDER
    ]
    if project is None or _is_submitter(request, project):
        steps.append(
            {
                "key": SUBMIT_STEP,
                "label": _("Prüfen und einreichen"),
                "url": reverse("projects:submit", kwargs={"slug": project.slug}) if project else None,
                "current": current == SUBMIT_STEP,
            }
        )
    return steps


def _editable_or_404(request, slug: str) -> Project:
    project = selectors.project_detail(user=request.user, slug=slug)
    if not access.can_edit_project(request.user, project):
        raise Http404
    return project


def _after_save(request, project: Project, section: str):
    """ "Speichern und weiter" goes to the next section (the last one to the overview)."""
    if "weiter" in request.POST:
        position = SECTION_ORDER.index(section)
        if position + 1 < len(SECTION_ORDER):
            return redirect("projects:edit", slug=project.slug, section=SECTION_ORDER[position + 1])
        return redirect("projects:submit", slug=project.slug)
    return redirect("projects:edit", slug=project.slug, section=section)


@login_required
def project_create(request):
    if not selectors.can_submit_projects(request.user):
        return render(request, "projects/join_first.html", status=403)
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in BasicsForm.Meta.fields}
        sent = once.submit(
            request=request,
            form=form,
            create=lambda: (
                _after_save(request, services.create_draft(by=request.user, fields=data), "grunddaten").url
            ),
            success_message=_("Der Entwurf ist gespeichert. Nur Sie und die Koordination sehen ihn."),
        )
        if sent:
            return sent
    return render(
        request,
        "projects/edit.html",
        {
            "form": form,
            "project": None,
            "section": "grunddaten",
            "sections": _section_links(request, None, "grunddaten"),
        },
    )


@anonymous_to_login
def project_edit(request, slug: str, section: str):
    project = _editable_or_404(request, slug)
    if section == MEDIA_SECTION:
        return _media_page(request, project)
    if section not in SECTIONS:
        raise Http404
    form_class = SECTIONS[section][1]
    # The form writes what was typed into its instance; the heading keeps the saved title.
    form = form_class(request.POST or None, instance=copy.copy(project))
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in form_class.Meta.fields
            if name not in ("trades", "topics")
        }
        services.update_project(
            project=project,
            by=request.user,
            fields=data,
            trades=form.cleaned_data.get("trades"),
            topics=form.cleaned_data.get("topics"),
        )
        messages.success(request, _("Gespeichert."))
        return _after_save(request, project, section)
    return render(
        request,
        "projects/edit.html",
        {
            "form": form,
            "project": project,
            "section": section,
            "sections": _section_links(request, project, section),
        },
    )


def _media_page(request, project: Project, *, image_form=None, attachment_form=None, status=200):
    return render(
        request,
        "projects/edit_media.html",
        {
            "project": project,
            "section": MEDIA_SECTION,
            "sections": _section_links(request, project, MEDIA_SECTION),
            "is_submitter": _is_submitter(request, project),
            "image_form": image_form or ImageForm(),
            "attachment_form": attachment_form or AttachmentForm(),
            "max_images": services.MAX_IMAGES,
            "max_attachments": services.MAX_ATTACHMENTS,
        },
        status=status,
    )


def _add_upload(request, slug: str, *, form_class, form_name: str, add, done: str):
    """One upload form of the media section: saved and back to the list, or shown again with its error."""
    project = _editable_or_404(request, slug)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            add(project, form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("projects:edit", slug=project.slug, section=MEDIA_SECTION)
    return _media_page(request, project, **{form_name: form}, status=400)


@anonymous_to_login
@require_POST
def image_add(request, slug: str):
    return _add_upload(
        request,
        slug,
        form_class=ImageForm,
        form_name="image_form",
        add=lambda project, data: services.add_image(
            project=project,
            by=request.user,
            upload=data["image"],
            alt_text=data["alt_text"],
            caption=data["caption"],
            processed=data["processed"],
        ),
        done=_("Das Bild ist hinzugefügt."),
    )


@anonymous_to_login
@require_POST
def image_remove(request, slug: str, pk: int):
    project = _editable_or_404(request, slug)
    services.remove_image(picture=get_object_or_404(ProjectImage, project=project, pk=pk), by=request.user)
    messages.success(request, _("Das Bild ist entfernt."))
    return redirect("projects:edit", slug=project.slug, section=MEDIA_SECTION)


@anonymous_to_login
@require_POST
def attachment_add(request, slug: str):
    return _add_upload(
        request,
        slug,
        form_class=AttachmentForm,
        form_name="attachment_form",
        add=lambda project, data: services.add_attachment(
            project=project, by=request.user, upload=data["file"], title=data["title"]
        ),
        done=_("Der Anhang ist hinzugefügt."),
    )


@anonymous_to_login
@require_POST
def attachment_remove(request, slug: str, pk: int):
    project = _editable_or_404(request, slug)
    attachment = get_object_or_404(ProjectAttachment, project=project, pk=pk)
    services.remove_attachment(attachment=attachment, by=request.user)
    messages.success(request, _("Der Anhang ist entfernt."))
    return redirect("projects:edit", slug=project.slug, section=MEDIA_SECTION)


@anonymous_to_login
def project_submit(request, slug: str):
    """The overview before submitting: what is still missing, then the button."""
    project = selectors.project_detail(user=request.user, slug=slug)
    if not _is_submitter(request, project):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.submit(project=project, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Das Projekt ist eingereicht. Die Koordination prüft es und meldet sich bei Ihnen."),
            )
            return redirect(project)
    return render(
        request,
        "projects/submit.html",
        {
            "project": project,
            "missing": selectors.missing_for_submission(project),
            "error": error,
            "sections": _section_links(request, project, SUBMIT_STEP)
            if project.is_editable_by_submitter
            else [],
        },
        status=400 if error else 200,
    )


@anonymous_to_login
@require_POST
def project_delete(request, slug: str):
    project = selectors.project_detail(user=request.user, slug=slug)
    try:
        services.delete_draft(project=project, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(project)
    messages.success(request, _("Der Entwurf ist gelöscht."))
    return redirect("projects:mine")


@login_required
def my_projects(request):
    return render(
        request,
        "projects/mine.html",
        {
            "projects": pagination.paginate(request, selectors.my_projects(user=request.user)),
            "can_submit": selectors.can_submit_projects(request.user),
        },
    )
