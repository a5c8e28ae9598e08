"""Everything the portal holds about one person, as JSON sections and files (Art. 15 and 20 DSGVO).

`SECTIONS` names each part of `daten.json` and the function that reads it. A
section reads the person's own rows; the title of an item it belongs to (a
thread, a meeting, a project) is given only while the person may still see the
item (groups.access), so an export never shows what the rule book hides from
them. Secrets (password hash, TOTP secrets, tokens of links) are never
exported: that such a thing exists and since when is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import models
from django.db.models.fields.files import FieldFile

from groups import access
from groups.models import (
    Document,
    DocumentComment,
    DocumentVersion,
    InformationPage,
    JoinRequest,
    Membership,
    MembershipChange,
    Post,
    Profile,
    Question,
    RingItem,
    Subscriber,
    Thread,
    User,
)
from meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarToken,
    Meeting,
    Participant,
    PollAnswer,
    Registration,
)
from portal.notifications.models import Mail, Notification, Preference, Unfollow, UnsubscribeToken
from projects.models import Project, Review

# Columns that are never exported: secrets, and the HTML the portal renders from the person's Markdown.
SECRET_FIELDS = {"password", "token", "confirmation_token", "key", "secret", "session_key"}


@dataclass
class Collected:
    """What the sections gathered: the JSON tree and the files to put beside it."""

    data: dict = field(default_factory=dict)
    # (path inside the ZIP, stored file)
    files: list[tuple[str, FieldFile]] = field(default_factory=list)


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def row(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """The concrete columns of `obj`: no secrets, no rendered HTML, no ids of other people."""
    result = {}
    for model_field in obj._meta.concrete_fields:
        name = model_field.name
        if name in exclude or name in SECRET_FIELDS or name.endswith("_html"):
            continue
        if model_field.is_relation and model_field.related_model is User:
            continue
        key = model_field.attname
        result[key] = _value(getattr(obj, key))
    return result


def _visible_ids(model, user, ids) -> set[int]:
    return set(access.visible_items(model.objects.filter(pk__in=set(ids)), user).values_list("pk", flat=True))


def _titled(items: dict[int, models.Model], user, model) -> dict[int, str | None]:
    visible = _visible_ids(model, user, items)
    return {pk: (str(item) if pk in visible else None) for pk, item in items.items()}


def _account(user: User, out: Collected) -> dict:
    return {
        **row(user, exclude=("is_superuser", "erased_at")),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
    }


def _profile(user: User, out: Collected) -> dict | None:
    profile = Profile.objects.filter(user=user).select_related("organisation").first()
    if profile is None:
        return None
    return {
        **row(profile),
        "organisation": str(profile.organisation) if profile.organisation else None,
        "trades": [str(trade) for trade in profile.trades.all()],
        "topics": [str(topic) for topic in profile.topics.all()],
    }


def _memberships(user: User, out: Collected) -> dict:
    return {
        "memberships": [
            {"space": m.space.name, "role": m.role, "joined_at": _value(m.joined_at)}
            for m in Membership.objects.filter(user=user).select_related("space")
        ],
        "changes": [
            {**row(change), "space": change.space.name}
            for change in MembershipChange.objects.filter(person=user).select_related("space")
        ],
    }


def _join_requests(user: User, out: Collected) -> list:
    return [
        {**row(request), "space": request.space.name}
        for request in JoinRequest.objects.filter(user=user).select_related("space")
    ]


def _posts(user: User, out: Collected) -> dict:
    posts = list(Post.objects.filter(author=user).select_related("thread").prefetch_related("revisions"))
    threads = {post.thread_id: post.thread for post in posts}
    threads.update({t.pk: t for t in Thread.objects.filter(author=user)})
    titles = _titled(threads, user, Thread)
    return {
        "threads_started": [
            {"id": t.pk, "title": titles[t.pk], "created_at": _value(t.created_at)}
            for t in threads.values()
            if t.author_id == user.pk
        ],
        "posts": [
            {
                **row(post),
                "thread_title": titles[post.thread_id],
                "earlier_versions": [row(revision) for revision in post.revisions.all()],
            }
            for post in posts
        ],
    }


def _documents(user: User, out: Collected) -> dict:
    versions = list(DocumentVersion.objects.filter(uploaded_by=user).select_related("document"))
    comments = list(DocumentComment.objects.filter(author=user).select_related("document"))
    documents = {v.document_id: v.document for v in versions}
    documents.update({c.document_id: c.document for c in comments})
    documents.update({d.pk: d for d in Document.objects.filter(created_by=user)})
    titles = _titled(documents, user, Document)
    for version in versions:
        out.files.append(
            (
                f"dateien/dokumente/{version.document_id}-v{version.number}-{version.original_name}",
                version.file,
            )
        )
    return {
        "documents_created": [
            {**row(d), "title": titles[d.pk]} for d in documents.values() if d.created_by_id == user.pk
        ],
        "versions_uploaded": [
            {
                **row(v),
                "document_title": titles[v.document_id],
                "file_in_zip": f"dateien/dokumente/{v.document_id}-v{v.number}-{v.original_name}",
            }
            for v in versions
        ],
        "comments": [{**row(c), "document_title": titles[c.document_id]} for c in comments],
    }


def _questions_and_information(user: User, out: Collected) -> dict:
    return {
        "questions_asked": [row(q) for q in Question.objects.filter(asked_by=user)],
        "information_pages_written": [row(p) for p in InformationPage.objects.filter(author=user)],
    }


def _meetings(user: User, out: Collected) -> dict:
    participations = list(Participant.objects.filter(user=user).select_related("meeting"))
    registrations = list(Registration.objects.filter(user=user).select_related("meeting"))
    actions = list(ActionItem.objects.filter(assignees=user).select_related("meeting"))
    presented = list(AgendaItem.objects.filter(presenter=user).select_related("meeting"))
    answers = list(PollAnswer.objects.filter(user=user).select_related("option__poll__meeting"))
    meetings = {p.meeting_id: p.meeting for p in participations}
    meetings.update({r.meeting_id: r.meeting for r in registrations})
    meetings.update({a.meeting_id: a.meeting for a in actions})
    meetings.update({a.meeting_id: a.meeting for a in presented})
    meetings.update({a.option.poll.meeting_id: a.option.poll.meeting for a in answers})
    titles = _titled(meetings, user, Meeting)
    return {
        "invitations_and_attendance": [
            {**row(p, exclude=("email",)), "meeting_title": titles[p.meeting_id]} for p in participations
        ],
        "registrations": [{**row(r), "meeting_title": titles[r.meeting_id]} for r in registrations],
        "date_poll_answers": [
            {
                "meeting_title": titles[a.option.poll.meeting_id],
                "option_starts_at": _value(a.option.starts_at),
                "answer": a.answer,
            }
            for a in answers
        ],
        "action_items": [
            {
                "title": a.title if titles[a.meeting_id] is not None else None,
                "meeting_title": titles[a.meeting_id],
                "due_date": _value(a.due_date),
                "status": a.status,
            }
            for a in actions
        ],
        "agenda_items_presented": [
            {
                "title": a.title if titles[a.meeting_id] is not None else None,
                "meeting_title": titles[a.meeting_id],
            }
            for a in presented
        ],
    }


def _projects(user: User, out: Collected) -> dict:
    projects = list(
        Project.objects.filter(submitted_by=user).prefetch_related("images", "attachments", "submissions")
    )
    result = []
    for project in projects:
        folder = f"dateien/projekte/{project.pk}"
        images = []
        for image in project.images.all():
            name = f"{folder}/bild-{image.pk}-{image.image.name.rsplit('/', 1)[-1]}"
            out.files.append((name, image.image))
            images.append({"alt_text": image.alt_text, "caption": image.caption, "file_in_zip": name})
        attachments = []
        for attachment in project.attachments.all():
            name = f"{folder}/anhang-{attachment.pk}-{attachment.original_name}"
            out.files.append((name, attachment.file))
            attachments.append({"title": attachment.title, "file_in_zip": name})
        result.append(
            {
                **row(project),
                "images": images,
                "attachments": attachments,
                "submitted": [_value(s.submitted_at) for s in project.submissions.all()],
            }
        )
    return {"projects_submitted": result}


def _reviews(user: User, out: Collected) -> list:
    reviews = list(Review.objects.filter(reviewer=user).select_related("project"))
    titles = _titled({r.project_id: r.project for r in reviews}, user, Project)
    return [{**row(r), "project_title": titles[r.project_id]} for r in reviews]


def _notifications(user: User, out: Collected) -> dict:
    notifications = list(
        Notification.objects.filter(user=user).select_related("event__subject_type").order_by("-created_at")
    )
    hidden = _hidden_subjects([n.event for n in notifications], user)
    return {
        # What a notification said, unless it is about an item the person may no longer see.
        "notifications": [
            {
                "kind": n.event.kind,
                "created_at": _value(n.created_at),
                "read_at": _value(n.read_at),
                "data": None if (n.event.subject_type_id, n.event.subject_id) in hidden else n.event.data,
            }
            for n in notifications
        ],
        "preferences": [
            {"kind": p.kind, "space": p.space.name if p.space else None, "channel": p.channel}
            for p in Preference.objects.filter(user=user).select_related("space")
        ],
        "unfollowed": [row(u) for u in Unfollow.objects.filter(user=user)],
    }


def _hidden_subjects(events, user) -> set[tuple[int, int]]:
    """(content type, id) of the ring items among the events' subjects that `user` may not see now."""
    by_type: dict = {}
    for event in events:
        if event.subject_type_id is not None:
            by_type.setdefault(event.subject_type, set()).add(event.subject_id)
    hidden = set()
    for content_type, ids in by_type.items():
        model = content_type.model_class()
        if model is None or not issubclass(model, RingItem):
            continue
        visible = _visible_ids(model, user, ids)
        hidden |= {(content_type.pk, pk) for pk in ids - visible}
    return hidden


def _subscriptions(user: User, out: Collected) -> dict:
    subscriber = Subscriber.objects.filter(email__iexact=user.email).first()
    calendar = CalendarToken.objects.filter(user=user).first()
    return {
        "information_by_mail": None
        if subscriber is None
        else {
            **row(subscriber),
            "trades": [str(t) for t in subscriber.trades.all()],
            "topics": [str(t) for t in subscriber.topics.all()],
        },
        "calendar_feed_since": _value(calendar.created_at) if calendar else None,
        "unsubscribe_links": [
            {"topic": t.topic, "issued_at": _value(t.issued_at), "used_at": _value(t.used_at)}
            for t in UnsubscribeToken.objects.filter(user=user)
        ],
    }


def _sessions(user: User, out: Collected) -> list:
    return [
        {
            "ip": s.ip,
            "user_agent": s.user_agent,
            "created_at": _value(s.created_at),
            "last_seen_at": _value(s.last_seen_at),
        }
        for s in UserSession.objects.filter(user=user).order_by("created_at")
    ]


def _security(user: User, out: Collected) -> dict:
    return {
        "two_factor": [
            {"type": a.type, "created_at": _value(a.created_at), "last_used_at": _value(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user)
        ],
        # The account mails (codes, password resets, security notices); their text is cleared once sent.
        "account_mails": [
            {
                "template": m.template,
                "subject": m.subject,
                "created_at": _value(m.created_at),
                "status": m.status,
            }
            for m in Mail.objects.filter(recipient__iexact=user.email).order_by("created_at")
        ],
    }


SECTIONS: list[tuple[str, Callable[[User, Collected], object]]] = [
    ("account", _account),
    ("profile", _profile),
    ("memberships", _memberships),
    ("join_requests", _join_requests),
    ("discussions", _posts),
    ("documents", _documents),
    ("questions_and_information", _questions_and_information),
    ("meetings", _meetings),
    ("projects", _projects),
    ("reviews_written", _reviews),
    ("notifications", _notifications),
    ("subscriptions", _subscriptions),
    ("sessions", _sessions),
    ("security", _security),
]
SECTION_COUNT = len(SECTIONS)
