"""Model rows to the API's dicts (api.schemas). Addresses are absolute, from SITE_URL."""

from django.conf import settings

from portal.links import url_for


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _terms(rows) -> list[dict]:
    return [{"slug": row.slug, "name": row.name} for row in rows]


def _space(space) -> dict:
    return {"slug": space.slug, "name": space.name}


def _audience(item) -> str | None:
    return item.audience.slug if item.audience_id is not None else None


def _name(user) -> str:
    return user.name if user is not None else ""


def project(row, *, detail: bool = False) -> dict:
    organisation = row.organisation
    data = {
        "slug": row.slug,
        "title": row.title,
        "summary": row.summary,
        "organisation": {"name": organisation.name, "kind": organisation.kind} if organisation else None,
        "funding_programme": row.funding_programme.name if row.funding_programme else None,
        "region": row.region,
        "region_label": row.get_region_display() if row.region else "",
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "trades": _terms(row.trades.all()),
        "topics": _terms(row.topics.all()),
        "contact_name": row.contact_name,
        "accepted_at": row.accepted_at,
        "url": _absolute(row.get_absolute_url()),
        "pictures": [
            {
                "url": _absolute(url_for("projects:image", slug=row.slug, pk=picture.pk)),
                "thumbnail_url": _absolute(url_for("projects:thumbnail", slug=row.slug, pk=picture.pk)),
                "alt_text": picture.alt_text,
            }
            for picture in row.pictures
        ],
    }
    if detail:
        data["description_html"] = row.description_html
        data["links"] = [str(link) for link in row.links or []]
    return data


def information(row, *, detail: bool = False) -> dict:
    data = {
        "slug": row.slug,
        "title": row.title,
        "summary": row.summary,
        "trades": _terms(row.trades.all()),
        "topics": _terms(row.topics.all()),
        "published_at": row.published_at,
        "updated_at": row.updated_at,
        "url": _absolute(row.get_absolute_url()),
    }
    if detail:
        data["body_html"] = row.body_html
    return data


def meeting(row) -> dict:
    return {
        "id": row.pk,
        "title": row.title,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "status": row.status,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "tentative_period": row.tentative_period,
        "place": row.place,
        "space": _space(row.space),
        "audience": _audience(row),
        "updated_at": row.updated_at,
        "url": _absolute(row.get_absolute_url()),
    }


def action_item_ref(row) -> dict:
    return {
        "id": row.pk,
        "title": row.title,
        "status": row.status,
        "due_date": row.due_date,
        "assignees": [person.name for person in row.assignees.all()]
        + ([row.other_assignees] if row.other_assignees else []),
    }


def meeting_detail(page, record) -> dict:
    """`page` is meetings.selectors.MeetingPage, `record` the published MinutesRecord or None."""
    by_item = {entry.item.pk: entry for entry in record.items} if record else {}
    agenda = []
    for item in page.agenda:
        entry = by_item.get(item.pk)
        agenda.append(
            {
                "position": item.position,
                "title": item.title,
                "details_html": item.details_html,
                "presenter": _name(item.presenter) or item.presenter_name,
                "duration_minutes": item.duration_minutes,
                "project": item.linked_project.slug if item.linked_project else None,
                "discussion_html": entry.item.discussion_html if entry else None,
                "decisions": [{"text": decision.text} for decision in entry.decisions] if entry else [],
                "action_items": [action_item_ref(a) for a in entry.action_items] if entry else [],
            }
        )
    minutes = None
    if record is not None:
        minutes = {
            "published_at": record.minutes.published_at,
            "approved_on": record.minutes.approved_on,
            "introduction_html": record.minutes.introduction_html,
            "url": _absolute(page.meeting.get_absolute_url()),
        }
    return {
        **meeting(page.meeting),
        "description_html": page.meeting.description_html,
        "agenda": agenda,
        "minutes": minutes,
    }


def space(row, *, role: str | None) -> dict:
    return {
        "slug": row.slug,
        "name": row.name,
        "summary": row.summary,
        "parent": row.parent.slug if row.parent_id else None,
        "role": role,
        "url": _absolute(url_for("groups:space_detail", slug=row.slug)),
    }


def thread(row) -> dict:
    return {
        "id": row.pk,
        "title": row.title,
        "space": _space(row.space),
        "audience": _audience(row),
        "author": _name(row.author),
        "created_at": row.created_at,
        "last_activity_at": row.last_activity_at,
        "is_pinned": row.is_pinned,
        "is_closed": row.is_closed,
        "url": _absolute(row.get_absolute_url()),
    }


def post(row) -> dict:
    return {
        "id": row.pk,
        "author": _name(row.author),
        "created_at": row.created_at,
        "edited_at": row.edited_at,
        "body_html": row.body_html,
    }


def document(row) -> dict:
    return {
        "id": row.pk,
        "title": row.title,
        "description_html": row.description_html,
        "space": _space(row.space),
        "audience": _audience(row),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "url": _absolute(row.get_absolute_url()),
        "versions": [
            {
                "number": version.number,
                "original_name": version.original_name,
                "content_type": version.content_type,
                "size": version.size,
                "note": version.note,
                "uploaded_at": version.uploaded_at,
                "download_url": _absolute(
                    url_for("groups:document_download", slug=row.space.slug, pk=row.pk, number=version.number)
                ),
            }
            for version in row.versions.all()
        ],
    }


def action_item(row) -> dict:
    return {
        **action_item_ref(row),
        "meeting": row.meeting_id,
        "meeting_title": row.meeting.title,
        "done_at": row.done_at,
        "url": _absolute(url_for("meetings:tasks")),
    }
