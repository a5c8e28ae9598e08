"""Views of the spaces: thin, each resolves what it shows through groups.access or groups.selectors.

Hidden content does not exist for a signed-in person (404). Anonymous visitors
are sent to the login page instead, for hidden and missing pages alike, so
that nothing about what exists leaks either way.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from groups import access, selectors, services, widening
from groups.forms import (
    CommentForm,
    DecisionForm,
    DocumentForm,
    DocumentVersionForm,
    InvitationForm,
    JoinRequestForm,
    MoveThreadForm,
    PostForm,
    ProfileForm,
    ReplyForm,
    RoleForm,
    ThreadForm,
)
from groups.models import (
    DocumentVersion,
    Invitation,
    JoinRequest,
    Membership,
    Post,
    Profile,
    Space,
    Thread,
)
from portal import once, pagination
from portal.notifications.selectors import following_state
from portal.panels import panels_for
from portal.secret_links import secret_link_page
from portal.viewhelpers import (
    already_public,
    anonymous_to_login,
    form_error,
    widen_confirmation,
    widen_confirmation_page,
)
from portal.writing import set_mention_url


def _space_inside_or_404(request, slug: str) -> Space:
    """The space, when the person may see its content; otherwise the same 404 as for no space at all."""
    space = Space.objects.filter(slug=slug).select_related("parent").first()
    if space is None or not access.can_see_space_content(request.user, space):
        raise Http404
    return space


def _coordinated_space_or_404(request, slug: str) -> Space:
    space = _space_inside_or_404(request, slug)
    if not access.can_coordinate(request.user, space):
        raise Http404
    return space


# --- Spaces --------------------------------------------------------------


def space_list(request):
    return render(request, "groups/space_list.html", {"cards": selectors.space_list(user=request.user)})


def space_detail(request, slug: str):
    space = selectors.space_by_slug(slug)
    if space is None:
        raise Http404
    home = selectors.space_home(user=request.user, space=space)
    # What other apps show on the home of a space (portal/panels.py): the next meetings.
    shown = panels_for("space-home", request, space) if home.is_inside else []
    return render(request, "groups/space_detail.html", {"home": home, "space": space, "panels": shown})


@login_required
def join_request_create(request, slug: str):
    space = get_object_or_404(Space, slug=slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(space=space, user=request.user, message=form.cleaned_data["message"])
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Ihre Anfrage wurde gesendet. Die Koordination entscheidet darüber."))
            return redirect(space)
    return render(request, "groups/join_request_form.html", {"space": space, "form": form})


@login_required
@require_POST
def join_request_withdraw(request, slug: str, pk: int):
    join_request = get_object_or_404(JoinRequest, pk=pk, space__slug=slug, user=request.user)
    try:
        services.join_request_withdraw(join_request=join_request, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Ihre Anfrage wurde zurückgezogen."))
    return redirect(join_request.space)


@anonymous_to_login
def join_request_list(request, slug: str):
    space = _coordinated_space_or_404(request, slug)
    return render(
        request,
        "groups/join_request_list.html",
        {
            "space": space,
            "page": pagination.paginate(request, selectors.pending_join_requests(space=space)),
            "form": DecisionForm(),
        },
    )


@anonymous_to_login
def join_request_decide(request, slug: str, pk: int):
    space = _coordinated_space_or_404(request, slug)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=pk, space=space, status=JoinRequest.Status.PENDING
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == DecisionForm.APPROVE:
                services.join_request_approve(join_request=join_request, by=request.user, reason=reason)
                messages.success(request, _("%(name)s ist jetzt Mitglied.") % {"name": join_request.user})
            else:
                services.join_request_decline(join_request=join_request, by=request.user, reason=reason)
                messages.success(request, _("Die Anfrage wurde abgelehnt."))
        except ValidationError as error:
            form_error(form, error)
        else:
            return redirect("groups:join_request_list", slug=space.slug)
    return render(
        request,
        "groups/join_request_decide.html",
        {"space": space, "join_request": join_request, "form": form},
    )


@anonymous_to_login
def invitation_create(request, slug: str):
    space = _coordinated_space_or_404(request, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(space=space, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_error(form, error)
        else:
            services.invitation_send(invitation=invitation, request=request)
            messages.success(
                request, _("Die Einladung an %(email)s wurde verschickt.") % {"email": invitation.email}
            )
            return redirect("groups:member_list", slug=space.slug)
    return render(request, "groups/invitation_form.html", {"space": space, "form": form})


@secret_link_page
def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("space", "invited_by"), token=token)
    is_open = selectors.invitation_is_open(invitation)
    if request.method == "POST" and is_open:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Willkommen im Raum „%(space)s“.") % {"space": invitation.space})
            return redirect(invitation.space)
    return render(request, "groups/invitation_accept.html", {"invitation": invitation, "is_open": is_open})


@anonymous_to_login
def member_list(request, slug: str):
    space = _space_inside_or_404(request, slug)
    page = pagination.paginate(request, selectors.member_memberships(space=space))
    can_coordinate = access.can_coordinate(request.user, space)
    return render(
        request,
        "groups/member_list.html",
        {
            "space": space,
            "page": page,
            "entries": selectors.member_directory(user=request.user, memberships=page.rows),
            "can_coordinate": can_coordinate,
            "role_choices": Membership.Role.choices,
            "erasable": access.erasable_account_ids(request.user, [m.user_id for m in page.rows])
            if can_coordinate
            else set(),
        },
    )


@anonymous_to_login
@require_POST
def member_update(request, slug: str, user_id: int):
    space = _coordinated_space_or_404(request, slug)
    membership = get_object_or_404(Membership.objects.select_related("user"), space=space, user_id=user_id)
    try:
        if request.POST.get("action") == "remove":
            services.membership_remove(membership=membership, by=request.user)
            messages.success(request, _("%(name)s wurde aus dem Raum entfernt.") % {"name": membership.user})
        else:
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Bitte wählen Sie eine Rolle."))
            services.membership_set_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
            messages.success(request, _("Die Rolle von %(name)s wurde geändert.") % {"name": membership.user})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("groups:member_list", slug=space.slug)


@login_required
def space_leave(request, slug: str):
    space = get_object_or_404(Space, slug=slug)
    if not access.is_member(request.user, space):
        raise Http404
    if request.method == "POST":
        try:
            services.membership_leave(space=space, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(space)
        messages.success(request, _("Sie haben den Raum „%(space)s“ verlassen.") % {"space": space})
        return redirect("groups:space_list")
    return render(request, "groups/space_leave.html", {"space": space})


# --- Discussions ---------------------------------------------------------


@anonymous_to_login
def thread_list(request, slug: str):
    space = _space_inside_or_404(request, slug)
    return render(
        request,
        "groups/thread_list.html",
        {
            "space": space,
            "page": pagination.paginate(request, selectors.thread_list(user=request.user, space=space)),
        },
    )


@anonymous_to_login
def thread_create(request, slug: str):
    space = _space_inside_or_404(request, slug)
    form = ThreadForm(request.POST or None)
    set_mention_url(form, reverse("groups:space_mentions", args=[space.slug]))
    if request.method == "POST" and form.is_valid():
        sent = once.submit(
            request=request,
            form=form,
            create=lambda: services.thread_create(
                space=space, author=request.user, **form.cleaned_data
            ).get_absolute_url(),
        )
        if sent:
            return sent
    return render(request, "groups/thread_form.html", {"space": space, "form": form})


@anonymous_to_login
def thread_detail(request, slug: str, pk: int):
    space = get_object_or_404(Space, slug=slug)
    thread = selectors.thread_detail(user=request.user, space=space, pk=pk)
    form = ReplyForm(request.POST or None)
    set_mention_url(form, reverse("groups:thread_mentions", args=[space.slug, thread.pk]))
    can_contribute = access.can_contribute(request.user, thread)
    if request.method == "POST":
        if not can_contribute:
            raise PermissionDenied
        if form.is_valid():
            try:
                sent = once.submit(request=request, form=form, create=lambda: _reply(request, thread, form))
            except ValidationError as error:
                form_error(form, error)
            else:
                if sent:
                    return sent
    can_coordinate = access.can_coordinate(request.user, thread.space)
    return render(
        request,
        "groups/thread_detail.html",
        {
            "space": space,
            "thread": thread,
            "following": following_state(request.user, thread),
            "form": form,
            "can_contribute": can_contribute,
            "can_coordinate": can_coordinate,
            "move_form": _move_form(request.user, thread) if can_coordinate else None,
        },
    )


def _mention_suggestions(request, ring: Space):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    people = selectors.mention_suggestions(ring=ring, query=request.GET.get("q", ""), author=request.user)
    return JsonResponse({"people": people})


@anonymous_to_login
def space_mentions(request, slug: str):
    """Names for "@" completion in a new thread of the space: the people inside its ring."""
    return _mention_suggestions(request, _space_inside_or_404(request, slug))


@anonymous_to_login
def thread_mentions(request, slug: str, pk: int):
    """Names for "@" completion in a reply: the people who can read the thread."""
    thread = access.get_visible_or_404(
        Thread.objects.filter(space__slug=slug).select_related("space", "audience"), request.user, pk=pk
    )
    return _mention_suggestions(request, access.mention_ring(thread))


def _reply(request, thread, form) -> str:
    post = services.post_reply(thread=thread, author=request.user, body=form.cleaned_data["body"])
    return f"{thread.get_absolute_url()}#post-{post.pk}"


def _move_form(user, thread) -> MoveThreadForm | None:
    """The form to move a thread, when the coordinator runs another space it could go to."""
    spaces = access.coordinated_spaces(user).exclude(pk=thread.space_id)
    return MoveThreadForm(spaces=spaces) if spaces.exists() else None


@anonymous_to_login
def post_edit(request, slug: str, pk: int, post_id: int):
    if not request.user.is_authenticated:
        raise Http404
    space = get_object_or_404(Space, slug=slug)
    thread = selectors.thread_detail(user=request.user, space=space, pk=pk)
    post = get_object_or_404(Post, pk=post_id, thread=thread, author=request.user)
    form = PostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.post_edit(post=post, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Ihr Beitrag wurde geändert; die vorige Fassung bleibt erhalten."))
        return redirect(f"{thread.get_absolute_url()}#post-{post.pk}")
    return render(
        request, "groups/post_form.html", {"space": space, "thread": thread, "post": post, "form": form}
    )


@anonymous_to_login
def post_history(request, slug: str, pk: int, post_id: int):
    """Earlier wordings of an edited post, for everyone who may read the thread."""
    space = get_object_or_404(Space, slug=slug)
    thread = selectors.thread_detail(user=request.user, space=space, pk=pk)
    post = get_object_or_404(
        Post.objects.select_related("author").prefetch_related("revisions"), pk=post_id, thread=thread
    )
    return render(request, "groups/post_history.html", {"space": space, "thread": thread, "post": post})


@anonymous_to_login
@require_POST
def thread_moderate(request, slug: str, pk: int):
    space = get_object_or_404(Space, slug=slug)
    thread = selectors.thread_detail(user=request.user, space=space, pk=pk)
    if not access.can_coordinate(request.user, thread.space):
        raise Http404
    action = request.POST.get("action")
    if action == "widen":
        # The one-click button of old: it only ever leads to the confirmation now.
        return _thread_widen(request, thread)
    elif action == "move":
        form = MoveThreadForm(request.POST, spaces=access.coordinated_spaces(request.user))
        if form.is_valid():
            to_space = form.cleaned_data["to_space"]
            if widening.move_widens(thread, to_space) and not widening.is_confirmed(request):
                hidden = {"action": "move", "to_space": to_space.pk}
                return widen_confirmation_page(
                    request, _thread_preview(thread, ring=to_space, confirm_url=request.path, hidden=hidden)
                )
            try:
                thread = services.thread_move(thread=thread, to_space=to_space, by=request.user)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("Die Diskussion wurde verschoben."))
    else:
        flags = {
            "pin": {"pinned": True},
            "unpin": {"pinned": False},
            "close": {"closed": True},
            "reopen": {"closed": False},
        }
        if action not in flags:
            raise Http404
        services.thread_moderate(thread=thread, by=request.user, **flags[action])
    return redirect(thread)


def _thread_preview(thread, *, ring, confirm_url: str, hidden: dict | None = None):
    """What the newly reached people see first: the title and the opening post (selectors.thread_detail)."""
    first = thread.post_list[0].body if thread.post_list else ""
    return widening.preview(
        item=thread, ring=ring, title=thread.title, text=first, confirm_url=confirm_url, hidden=hidden
    )


def _thread_widen(request, thread):
    if thread.audience_id is None:
        return already_public(request, thread)
    return widen_confirmation(
        request,
        item=thread,
        preview=_thread_preview(
            thread,
            ring=access.outer_audience(thread),
            confirm_url=reverse("groups:thread_widen", kwargs={"slug": thread.space.slug, "pk": thread.pk}),
        ),
        widen=lambda: services.audience_widen(item=thread, by=request.user),
        done=_("Die Diskussion ist jetzt für einen weiteren Kreis sichtbar."),
    )


@anonymous_to_login
def thread_widen(request, slug: str, pk: int):
    space = get_object_or_404(Space, slug=slug)
    thread = selectors.thread_detail(user=request.user, space=space, pk=pk)
    if not access.can_coordinate(request.user, thread.space):
        raise Http404
    return _thread_widen(request, thread)


# --- Documents -----------------------------------------------------------


@anonymous_to_login
def document_list(request, slug: str):
    space = _space_inside_or_404(request, slug)
    return render(
        request,
        "groups/document_list.html",
        {
            "space": space,
            "page": pagination.paginate(request, selectors.document_list(user=request.user, space=space)),
        },
    )


@anonymous_to_login
def document_create(request, slug: str):
    space = _space_inside_or_404(request, slug)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = once.submit(
            request=request,
            form=form,
            create=lambda: services.document_create(
                space=space,
                by=request.user,
                title=data["title"],
                description=data["description"],
                upload=data["file"],
            ).get_absolute_url(),
            success_message=_("Das Dokument wurde hochgeladen."),
        )
        if sent:
            return sent
    return render(request, "groups/document_form.html", {"space": space, "form": form})


@anonymous_to_login
def document_detail(request, slug: str, pk: int):
    space = get_object_or_404(Space, slug=slug)
    document = selectors.document_detail(user=request.user, space=space, pk=pk)
    can_contribute = access.can_contribute(request.user, document)
    comment_form = CommentForm()
    version_form = DocumentVersionForm()
    if request.method == "POST":
        if not can_contribute:
            raise PermissionDenied
        if "file" in request.FILES or request.POST.get("form") == "version":
            version_form = DocumentVersionForm(request.POST, request.FILES)
            if version_form.is_valid():
                services.document_add_version(
                    document=document,
                    by=request.user,
                    upload=version_form.cleaned_data["file"],
                    note=version_form.cleaned_data["note"],
                )
                messages.success(request, _("Die neue Fassung wurde gespeichert."))
                return redirect(document)
        else:
            comment_form = CommentForm(request.POST)
            if comment_form.is_valid() and (
                sent := once.submit(
                    request=request,
                    form=comment_form,
                    create=lambda: _comment(request, document, comment_form),
                )
            ):
                return sent
    return render(
        request,
        "groups/document_detail.html",
        {
            "space": space,
            "document": document,
            "can_contribute": can_contribute,
            "can_coordinate": access.can_coordinate(request.user, document.space),
            "comment_form": comment_form,
            "version_form": version_form,
        },
    )


def _comment(request, document, form) -> str:
    services.document_comment(document=document, author=request.user, body=form.cleaned_data["body"])
    return f"{document.get_absolute_url()}#comments"


@anonymous_to_login
def document_download(request, slug: str, pk: int, number: int):
    space = get_object_or_404(Space, slug=slug)
    document = selectors.document_detail(user=request.user, space=space, pk=pk)
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@anonymous_to_login
def document_widen(request, slug: str, pk: int):
    space = get_object_or_404(Space, slug=slug)
    document = selectors.document_detail(user=request.user, space=space, pk=pk)
    if not access.can_coordinate(request.user, document.space):
        raise Http404
    if document.audience_id is None:
        return already_public(request, document)
    latest = document.versions.order_by("-number").first()
    return widen_confirmation(
        request,
        item=document,
        preview=widening.preview(
            item=document,
            ring=access.outer_audience(document),
            title=document.title,
            text=document.description or (latest.original_name if latest else ""),
            confirm_url=request.path,
        ),
        widen=lambda: services.audience_widen(item=document, by=request.user),
        done=_("Das Dokument ist jetzt für einen weiteren Kreis sichtbar."),
    )


# --- Profile -------------------------------------------------------------


@login_required
def profile_edit(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile, signed_up_as=request.user.organisation_name)
    if request.method == "POST" and form.is_valid():
        services.profile_save(
            profile=form.save(commit=False),
            new_organisation=form.cleaned_data["new_organisation"],
            kind=form.cleaned_data["new_organisation_kind"],
        )
        form.save_m2m()
        messages.success(request, _("Ihr Profil wurde gespeichert."))
        return redirect("profile_edit")
    return render(request, "groups/profile_form.html", {"form": form})
