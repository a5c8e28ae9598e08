"""What the API answers: one schema per kind of object. The OpenAPI document is generated from these,
so what is documented is what is sent. Fields are listed explicitly: nothing reaches a response
that is not named here (no video links, no e-mail addresses of members, no reviews)."""

import datetime

from ninja import Schema


class Term(Schema):
    slug: str
    name: str


class SpaceRef(Schema):
    slug: str
    name: str


class Organisation(Schema):
    name: str
    kind: str


class Picture(Schema):
    url: str
    thumbnail_url: str
    alt_text: str


class Project(Schema):
    slug: str
    title: str
    summary: str
    organisation: Organisation | None
    funding_programme: str | None
    region: str
    region_label: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    trades: list[Term]
    topics: list[Term]
    contact_name: str
    accepted_at: datetime.datetime | None
    url: str
    pictures: list[Picture]


class ProjectDetail(Project):
    description_html: str
    links: list[str]


class Information(Schema):
    slug: str
    title: str
    summary: str
    trades: list[Term]
    topics: list[Term]
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    url: str


class InformationDetail(Information):
    body_html: str


class Meeting(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    status: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    tentative_period: str
    place: str
    space: SpaceRef
    audience: str | None  # None: public; otherwise the slug of the ring that may see it
    updated_at: datetime.datetime
    url: str


class Decision(Schema):
    text: str


class ActionItemRef(Schema):
    id: int
    title: str
    status: str
    due_date: datetime.date | None
    assignees: list[str]


class AgendaItem(Schema):
    position: int
    title: str
    details_html: str
    presenter: str
    duration_minutes: int | None
    project: str | None  # slug of a linked showcase project the reader may see
    discussion_html: str | None  # from the published minutes only
    decisions: list[Decision]
    action_items: list[ActionItemRef]


class Minutes(Schema):
    published_at: datetime.datetime | None
    approved_on: datetime.date | None
    introduction_html: str
    url: str


class MeetingDetail(Meeting):
    description_html: str
    agenda: list[AgendaItem]
    minutes: Minutes | None  # published minutes only


class Space(Schema):
    slug: str
    name: str
    summary: str
    parent: str | None
    role: str | None  # "member", "coordinator", or None when inside its ring through an inner space
    url: str


class Thread(Schema):
    id: int
    title: str
    space: SpaceRef
    audience: str | None
    author: str
    created_at: datetime.datetime
    last_activity_at: datetime.datetime
    is_pinned: bool
    is_closed: bool
    url: str


class Post(Schema):
    id: int
    author: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    body_html: str


class ThreadDetail(Thread):
    posts: list[Post]


class DocumentVersion(Schema):
    number: int
    original_name: str
    content_type: str
    size: int
    note: str
    uploaded_at: datetime.datetime
    download_url: str


class Document(Schema):
    id: int
    title: str
    description_html: str
    space: SpaceRef
    audience: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str
    versions: list[DocumentVersion]


class ActionItem(ActionItemRef):
    meeting: int
    meeting_title: str
    done_at: datetime.datetime | None
    url: str


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page of a list: its items and the cursor of the next page (null on the last)."""
    return type(name, (Schema,), {"__annotations__": {"items": list[item], "next": str | None}})


ProjectPage = page_of(Project, "ProjectPage")
InformationPage = page_of(Information, "InformationPage")
MeetingPage = page_of(Meeting, "MeetingPage")
SpacePage = page_of(Space, "SpacePage")
ThreadPage = page_of(Thread, "ThreadPage")
DocumentPage = page_of(Document, "DocumentPage")
ActionItemPage = page_of(ActionItem, "ActionItemPage")


class Problem(Schema):
    detail: str
