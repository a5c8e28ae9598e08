import datetime

import factory
from django.utils import timezone

from groups.models import Organisation, Trade
from projects.models import Decision, FundingProgramme, Project, Review, Submission
from projects.services import snapshot
from tests.factories import UserFactory
from tests.factories.groups import OrganisationFactory
from tests.roles import well_known_spaces


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trade
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Gewerk {n}")
    slug = factory.Sequence(lambda n: f"gewerk-{n}")


class FundingProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingProgramme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Förderprogramm {n}")
    slug = factory.Sequence(lambda n: f"foerderprogramm-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A complete draft in the Fachgruppe; pass `status=...` for later states (see the helpers below)."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    space = factory.LazyFunction(lambda: well_known_spaces()[0])
    audience = factory.SelfAttribute("space")
    slug = factory.Sequence(lambda n: f"modellprojekt-{n}")
    title = factory.Sequence(lambda n: f"Modellprojekt {n}")
    summary = "Betriebe gewinnen Auszubildende über gemeinsame Praxistage."
    description = "## Ausgangslage\n\nViele Betriebe finden keine Auszubildenden."
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.CHAMBER)
    region = "NW"
    starts_on = datetime.date(2025, 3, 1)
    ends_on = datetime.date(2026, 12, 31)
    contact_name = "Petra Beispiel"
    contact_email = "projekt@example.org"
    submitted_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def trades(self, create, extracted, **kwargs):
        if create:
            self.trades.set(extracted if extracted is not None else [TradeFactory(name="Tischlerhandwerk")])


def submitted(project: Project, *, number: int = 1) -> Project:
    """Marks a factory project as submitted in round `number`, with its submission rows."""
    for n in range(project.submissions.count() + 1, number + 1):
        Submission.objects.create(
            project=project, number=n, snapshot=snapshot(project), submitted_by=project.submitted_by
        )
    project.status = Project.Status.SUBMITTED
    project.submitted_at = timezone.now()
    project.round = number
    project.save()
    return project


def reviewed(project: Project, *, by, transferability: int = 4, added_value: int = 5) -> Review:
    if project.status == Project.Status.SUBMITTED:
        project.status = Project.Status.IN_REVIEW
        project.save()
    return Review.objects.create(
        project=project,
        round=project.round,
        reviewer=by,
        transferability=transferability,
        transferability_reason="Lässt sich auf andere Kammerbezirke übertragen.",
        added_value=added_value,
        added_value_reason="Hilft kleinen Betrieben bei der Nachwuchssuche.",
        note="Interne Notiz: Kontakt zur Kammer kenne ich gut.",
    )


def accepted(project: Project, *, by) -> Project:
    """A project through the whole review, public in the showcase."""
    submitted(project)
    reviewed(project, by=by)
    Decision.objects.create(
        project=project,
        round=project.round,
        outcome=Decision.Outcome.ACCEPTED,
        reason="Vorbildlich.",
        decided_by=by,
    )
    project.status = Project.Status.ACCEPTED
    project.audience = None
    project.accepted_at = timezone.now()
    project.save()
    return project
