"""Builders for the catalogue's tests: accepted projects with what the cards and filters need."""

import datetime

from django.utils import timezone

from groups.models import Topic, Trade
from projects.models import Project, ProjectImage
from tests.factories.projects import ProjectFactory, accepted


def trade(name: str, slug: str) -> Trade:
    return Trade.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def topic(name: str, slug: str) -> Topic:
    return Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def showcased(by, *, accepted_days_ago: int = 0, topics=(), **fields) -> Project:
    """An accepted, public project (accepted `accepted_days_ago` days ago) reviewed by `by`."""
    project = accepted(ProjectFactory(**fields), by=by)
    project.topics.set(topics)
    moment = timezone.now() - datetime.timedelta(days=accepted_days_ago)
    Project.objects.filter(pk=project.pk).update(accepted_at=moment)
    project.accepted_at = moment
    return project


def picture(project: Project, *, alt_text: str = "Auszubildende an der Hobelbank") -> ProjectImage:
    """A picture row; the catalogue only links its thumbnail, so no file is written."""
    return ProjectImage.objects.create(
        project=project,
        image=f"projects/{project.pk}/images/bild.jpg",
        thumbnail=f"projects/{project.pk}/images/bild-klein.jpg",
        width=1200,
        height=800,
        alt_text=alt_text,
    )
