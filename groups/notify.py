"""The events the groups app writes into the outbox: what each says and whom it reaches.

Called by groups.services inside their transactions, so an event exists
exactly when its change was committed.
"""

import re

from django.urls import reverse

from groups import access
from groups.models import JoinRequest, Post, Space, Thread, User
from portal.notifications.events import record
from portal.notifications.kinds import Kind
from portal.notifications.models import Event

EXCERPT_LENGTH = 400


def excerpt(text: str, *, length: int = EXCERPT_LENGTH) -> str:
    """The start of a text for a mail, with its line breaks (lists and agendas stay lists):
    spaces within a line and runs of empty lines are collapsed."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def join_requested(join_request: JoinRequest) -> None:
    space = join_request.space
    record(
        kind=Kind.JOIN_REQUESTED,
        audience=Event.Audience.COORDINATORS,
        space=space,
        actor=join_request.user,
        subject=join_request,
        data={
            "actor": join_request.user.name,
            "space": space.name,
            "title": join_request.user.organisation_name,
            "excerpt": excerpt(join_request.message),
            "url": reverse("groups:join_request_decide", kwargs={"slug": space.slug, "pk": join_request.pk}),
        },
    )


def join_decided(join_request: JoinRequest) -> None:
    space = join_request.space
    record(
        kind=Kind.JOIN_DECIDED,
        audience=Event.Audience.PEOPLE,
        space=space,
        actor=join_request.decided_by,
        recipients=[join_request.user],
        subject=join_request,
        data={
            "space": space.name,
            "decision": join_request.status,
            "reason": join_request.reason,
            "url": space.get_absolute_url(),
        },
    )


def invited(*, space: Space, user: User, by: User, url: str) -> None:
    record(
        kind=Kind.INVITED,
        audience=Event.Audience.PEOPLE,
        space=space,
        actor=by,
        recipients=[user],
        data={"space": space.name, "actor": by.name, "url": url},
    )


def widened(item, *, previous: Space, by: User) -> None:
    record(
        kind=Kind.WIDENED,
        audience=Event.Audience.NEWLY_REACHED,
        space=item.space,
        ring=item.audience,
        previous_ring=previous,
        actor=by,
        subject=item,
        data={"space": item.space.name, "title": str(item), "url": item.get_absolute_url()},
    )
    author_told_of_widening(item, by=by)


def author_told_of_widening(item, *, by: User) -> None:
    """The author of a thread, document or information page learns that more people now read it
    (not when they widened it themselves). The ring's name is frozen; an empty one is the public."""
    author = getattr(item, "author", None) or getattr(item, "created_by", None)
    if author is None or author.pk == by.pk:
        return
    record(
        kind=Kind.WIDENED_FOR_AUTHOR,
        audience=Event.Audience.PEOPLE,
        space=item.space,
        actor=by,
        recipients=[author],
        subject=item,
        data={
            "space": item.space.name,
            "title": str(item),
            "actor": by.name,
            "ring": item.audience.name if item.audience is not None else "",
            "url": item.get_absolute_url(),
        },
    )


def thread_created(thread: Thread, post: Post) -> None:
    _discussion_event(Kind.THREAD_CREATED, thread, post)


def post_created(thread: Thread, post: Post) -> None:
    _discussion_event(Kind.POST_CREATED, thread, post)


def _discussion_event(kind: Kind, thread: Thread, post: Post) -> None:
    """A new thread or reply reaches the thread's ring (its home space's, once public);
    the people it names with "@Name" are told separately."""
    record(
        kind=kind,
        audience=Event.Audience.RING,
        space=thread.space,
        ring=thread.audience or thread.space,
        actor=post.author,
        subject=thread,
        data=_post_data(thread, post),
    )
    _mentions(thread, post)


def _post_data(thread: Thread, post: Post) -> dict:
    return {
        "space": thread.space.name,
        "title": thread.title,
        "actor": post.author.name,
        "excerpt": excerpt(post.body),
        "url": f"{thread.get_absolute_url()}#post-{post.pk}",
    }


def _mentions(thread: Thread, post: Post) -> None:
    mentioned = mentioned_people(post.body, ring=access.mention_ring(thread), author=post.author)
    if mentioned:
        record(
            kind=Kind.MENTIONED,
            audience=Event.Audience.PEOPLE,
            space=thread.space,
            actor=post.author,
            recipients=mentioned,
            subject=thread,
            data=_post_data(thread, post),
        )


def mentioned_people(body: str, *, ring: Space, author: User) -> list[User]:
    """People of the ring named in the text as "@Full Name" or "@[Full Name]".

    The longest name wins where names overlap; the bracketed form also holds where a letter
    follows the name directly ("@[Jonas Feldmann]s Vorschlag").
    """
    if "@" not in body:
        return []
    candidates = access.mentionable_people(ring).exclude(pk=author.pk)
    found = []
    for person in sorted(candidates.only("pk", "name"), key=lambda p: -len(p.name)):
        name = re.escape(person.name)
        pattern = r"@(?:\[\s*" + name + r"\s*\]|" + name + r"(?![\w-]))"
        if person.name and re.search(pattern, body):
            found.append(person)
            body = re.sub(pattern, "", body)
    return found


def membership_removed(*, person: User, space: Space, spaces: list[Space], by: User) -> None:
    """The removed person is told, once, of every space the removal took them out of."""
    record(
        kind=Kind.MEMBERSHIP_ENDED,
        audience=Event.Audience.PEOPLE,
        space=space,
        actor=by,
        recipients=[person],
        data={
            "space": space.name,
            "actor": by.name,
            "title": ", ".join(s.name for s in spaces),
            "spaces": [s.name for s in spaces if s.pk != space.pk],
            "url": reverse("groups:space_list"),
        },
    )


def role_changed(membership, *, before: str, by: User) -> None:
    space = membership.space
    record(
        kind=Kind.ROLE_CHANGED,
        audience=Event.Audience.PEOPLE,
        space=space,
        actor=by,
        recipients=[membership.user],
        data={
            "space": space.name,
            "actor": by.name,
            "role_before": before,
            "role": membership.role,
            "url": space.get_absolute_url(),
        },
    )


def member_left(*, space: Space, user: User) -> None:
    """The coordinators of a space learn who left it."""
    record(
        kind=Kind.MEMBER_LEFT,
        audience=Event.Audience.COORDINATORS,
        space=space,
        actor=user,
        data={
            "space": space.name,
            "actor": user.name,
            "title": user.name,
            "url": reverse("groups:member_list", kwargs={"slug": space.slug}),
        },
    )
