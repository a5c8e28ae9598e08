"""Demo projects in every state of the review, with scores from two coordinators.

Fictional projects of real kinds of organisations. Idempotent: looked up by
title, created only when missing. Pictures are drawn here and go through the
same cleaning as an upload.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from groups.demo import one_page_pdf
from groups.models import Organisation, Topic, Trade, User
from groups.services import record_widening
from portal.slugs import german_slugify
from projects import images
from projects.models import (
    Decision,
    FundingProgramme,
    Project,
    ProjectAttachment,
    ProjectImage,
    Review,
    Submission,
)
from projects.services import home_space, snapshot, unique_slug

FUNDING_PROGRAMMES = [
    "unternehmensWert:Mensch",
    "Mittelstand-Digital",
    "ESF Plus",
    "INQA-Coaching",
    "Landesförderung",
    "Eigenmittel, ohne Förderung",
]

COORDINATOR = "koordination@example.org"
SECOND_COORDINATOR = "pruefung@example.org"


@dataclass
class DemoProject:
    title: str
    submitter: str
    organisation: str
    status: str
    summary: str
    description: str
    region: str
    trades: list[str]
    topics: list[str]
    funding: str
    starts: datetime.date
    ends: datetime.date | None = None
    # (reviewer, transferability, reason, added value, reason) per round, oldest round first
    reviews: list[list[tuple[str, int, str, int, str]]] = field(default_factory=list)
    # (outcome, reason, changes requested, share reviews) per decided round
    decisions: list[tuple[str, str, str, bool]] = field(default_factory=list)
    picture: tuple[int, int, int] | None = None
    attachment: str = ""


PROJECTS = [
    DemoProject(
        title="Ausbildungsbotschafter im Bäckerhandwerk",
        submitter="innen@example.org",
        organisation="Handwerkskammer Musterstadt",
        status=Project.Status.ACCEPTED,
        summary=(
            "Junge Gesellinnen und Gesellen aus Bäckereien berichten in Schulklassen von ihrem Alltag. "
            "Die Kammer bildet sie dafür aus und vermittelt die Termine."
        ),
        description=(
            "## Ausgangslage\n\nBäckereien im Kammerbezirk fanden kaum noch Auszubildende; Praktika kamen "
            "selten zustande.\n\n## Vorgehen\n\n- Zwölf Botschafterinnen und "
            "Botschafter, zwei Schulungstage\n"
            "- Besuche in Haupt-, Real- und Gesamtschulen, jeweils mit Teig zum Mitmachen\n"
            "- Ein fester Ansprechpartner in der Kammer für Schulen und Betriebe\n\n"
            "## Ergebnisse\n\n68 Schulbesuche im ersten Jahr, 41 Praktika, 9 Ausbildungsverträge.\n\n"
            "## Was andere übernehmen können\n\nDer Schulungsplan und die Vorlagen "
            "für Schulen sind frei nutzbar; "
            "das Format passt zu jedem Gewerk mit Werkstatt."
        ),
        region="NW",
        trades=["Bäckerhandwerk"],
        topics=["Ausbildung", "Fachkräftesicherung"],
        funding="Landesförderung",
        starts=datetime.date(2024, 9, 1),
        ends=datetime.date(2026, 8, 31),
        reviews=[
            [
                (
                    COORDINATOR,
                    5,
                    "Schulungsplan und Vorlagen liegen vor; jede Kammer kann starten.",
                    5,
                    "Messbar mehr Praktika und Verträge in kleinen Betrieben.",
                ),
                (
                    SECOND_COORDINATOR,
                    4,
                    "Braucht eine feste Stelle in der Kammer.",
                    5,
                    "Gerade kleine Bäckereien profitieren.",
                ),
            ]
        ],
        decisions=[("accepted", "Übertragbar auf alle Gewerke mit Werkstatt; Ergebnisse belegt.", "", False)],
        picture=(196, 140, 80),
        attachment="Schulungsplan Ausbildungsbotschafter",
    ),
    DemoProject(
        title="Digitale Baustellendokumentation für kleine Dachdeckerbetriebe",
        submitter="partner@example.org",
        organisation="Beratungsgesellschaft Werkstatt & Wandel",
        status=Project.Status.ACCEPTED,
        summary=(
            "Betriebe mit bis zu zehn Beschäftigten dokumentieren Baustellen mit dem Smartphone statt auf "
            "Papier. Ein Leitfaden und zwei Workshops führen ein."
        ),
        description=(
            "## Vorgehen\n\nGemeinsam mit fünf Betrieben wurden Fotos, Aufmaß und Mängel in einer einfachen "
            "App zusammengeführt. Datenschutz und Speicherorte sind im Leitfaden erklärt.\n\n"
            "## Ergebnisse\n\nWeniger Nacharbeit bei der Abrechnung, schnellere Mängelmeldungen."
        ),
        region="BY",
        trades=["Dachdeckerhandwerk"],
        topics=["Digitalisierung"],
        funding="Mittelstand-Digital",
        starts=datetime.date(2025, 1, 1),
        ends=datetime.date(2025, 12, 31),
        reviews=[
            [
                (COORDINATOR, 4, "Leitfaden ist allgemein gehalten.", 4, "Spart Zeit in kleinen Betrieben."),
                (
                    SECOND_COORDINATOR,
                    4,
                    "Auf andere Bau-Gewerke übertragbar.",
                    3,
                    "Nutzen noch an wenigen Betrieben belegt.",
                ),
            ]
        ],
        decisions=[
            ("accepted", "Gut übertragbar; der Leitfaden ist ein Gewinn für die Fachgruppe.", "", False)
        ],
        picture=(90, 110, 140),
    ),
    DemoProject(
        title="Nachfolgebörse der Tischlerinnung",
        submitter="innen@example.org",
        organisation="Tischlerinnung Nordland",
        status=Project.Status.ACCEPTED,
        summary=(
            "Die Innung bringt Inhaberinnen und Inhaber ohne Nachfolge mit "
            "Meisterinnen und Meistern zusammen, "
            "die einen Betrieb übernehmen wollen."
        ),
        description=(
            "## Vorgehen\n\nVertrauliche Profile, moderierte Kennenlerntreffen, Begleitung durch die Kammer."
        ),
        region="SH",
        trades=["Tischlerhandwerk"],
        topics=["Nachfolge"],
        funding="Eigenmittel, ohne Förderung",
        starts=datetime.date(2023, 4, 1),
        reviews=[
            [
                (COORDINATOR, 4, "Jede Innung kann das anbieten.", 4, "Erhält Betriebe und Arbeitsplätze."),
                (SECOND_COORDINATOR, 5, "Einfach und günstig.", 4, "Sieben Übergaben in zwei Jahren."),
            ]
        ],
        decisions=[("accepted", "Vorbildlich; bitte in der nächsten Sitzung vorstellen.", "", False)],
        picture=(120, 90, 60),
    ),
    DemoProject(
        title="Hitzeschutz auf Baustellen: ein Praxisleitfaden",
        submitter="partner@example.org",
        organisation="Beratungsgesellschaft Werkstatt & Wandel",
        status=Project.Status.IN_REVIEW,
        summary=(
            "Ein Leitfaden mit Checklisten, wie kleine Baubetriebe ihre Beschäftigten im Sommer schützen."
        ),
        description=(
            "## Vorgehen\n\nChecklisten für Arbeitszeit, Trinkwasser, Schatten und Unterweisung; erprobt in "
            "vier Betrieben.\n\n## Ergebnisse der Erprobung\n\nAlle vier Betriebe haben die Checklisten "
            "über den ganzen Sommer genutzt; zwei haben ihre Arbeitszeiten dauerhaft verlegt."
        ),
        region="bundesweit",
        trades=["Dachdeckerhandwerk", "Metallbau"],
        topics=["Arbeitsschutz"],
        funding="INQA-Coaching",
        starts=datetime.date(2025, 5, 1),
        ends=datetime.date(2026, 9, 30),
        reviews=[
            [
                (COORDINATOR, 3, "Gute Checklisten.", 2, "Erprobung fehlt noch."),
                (SECOND_COORDINATOR, 3, "Übertragbar auf alle Bau-Gewerke.", 2, "Nutzen noch nicht belegt."),
            ],
            [
                (
                    SECOND_COORDINATOR,
                    4,
                    "Jetzt mit Erfahrungen aus den Betrieben.",
                    4,
                    "Klarer Nutzen im Sommer.",
                )
            ],
        ],
        decisions=[
            (
                "returned",
                "Die Idee überzeugt; es fehlen Erfahrungen aus der Praxis.",
                "Bitte ergänzen Sie, wie die Betriebe die Checklisten genutzt haben.",
                True,
            )
        ],
    ),
    DemoProject(
        title="Gesundheitstage für Friseursalons",
        submitter="innen@example.org",
        organisation="Handwerkskammer Musterstadt",
        status=Project.Status.SUBMITTED,
        summary=(
            "Salons schließen sich zusammen und bieten ihren Beschäftigten gemeinsame Gesundheitstage an."
        ),
        description="## Vorgehen\n\nRückenschule, Hautschutz und Stressbewältigung an zwei Tagen im Jahr.",
        region="HE",
        trades=["Friseurhandwerk"],
        topics=["Arbeitsschutz", "Fachkräftesicherung"],
        funding="unternehmensWert:Mensch",
        starts=datetime.date(2025, 10, 1),
    ),
    DemoProject(
        title="Energieberatung durch Elektrobetriebe",
        submitter="partner@example.org",
        organisation="Beratungsgesellschaft Werkstatt & Wandel",
        status=Project.Status.RETURNED,
        summary="Elektrobetriebe beraten ihre Kundschaft beim Einbau zu Stromsparen und Photovoltaik.",
        description="## Idee\n\nEine Schulung für Gesellinnen und Gesellen, die beim Kunden vor Ort beraten.",
        region="NI",
        trades=["Elektrotechnik"],
        topics=["Nachhaltigkeit"],
        funding="ESF Plus",
        starts=datetime.date(2026, 1, 1),
        reviews=[
            [
                (
                    COORDINATOR,
                    3,
                    "Übertragbar, wenn die Schulung beschrieben ist.",
                    4,
                    "Neues Geschäftsfeld.",
                ),
                (SECOND_COORDINATOR, 2, "Noch zu allgemein.", 3, "Nutzen plausibel, aber nicht belegt."),
            ]
        ],
        decisions=[
            (
                "returned",
                "Eine gute Idee, die wir gern zeigen würden.",
                "Bitte beschreiben Sie Inhalt und Dauer der Schulung und nennen Sie erste Erfahrungen.",
                True,
            )
        ],
    ),
    DemoProject(
        title="Werbekampagne für eine Metallbau-Werkstatt",
        submitter="partner@example.org",
        organisation="Beratungsgesellschaft Werkstatt & Wandel",
        status=Project.Status.DECLINED,
        summary="Plakate und Anzeigen für einen einzelnen Betrieb, um Aufträge zu gewinnen.",
        description="## Vorgehen\n\nAnzeigen in der Lokalzeitung und Plakate im Stadtgebiet.",
        region="SN",
        trades=["Metallbau"],
        topics=[],
        funding="Eigenmittel, ohne Förderung",
        starts=datetime.date(2025, 2, 1),
        ends=datetime.date(2025, 6, 30),
        reviews=[
            [
                (COORDINATOR, 1, "Auf einen Betrieb zugeschnitten.", 2, "Nutzen nur für diesen Betrieb."),
                (SECOND_COORDINATOR, 1, "Nicht übertragbar.", 1, "Kein Mehrwert für andere Betriebe."),
            ]
        ],
        decisions=[
            ("declined", "Das Projekt nützt einem einzelnen Betrieb; es ist nicht übertragbar.", "", False)
        ],
    ),
    DemoProject(
        title="Azubi-Austausch zwischen Metallbaubetrieben",
        submitter="partner@example.org",
        organisation="Beratungsgesellschaft Werkstatt & Wandel",
        status=Project.Status.DRAFT,
        summary=(
            "Auszubildende wechseln für zwei Wochen in einen anderen Betrieb und lernen andere Verfahren."
        ),
        description="",
        region="",
        trades=["Metallbau"],
        topics=["Ausbildung"],
        funding="",
        starts=datetime.date(2026, 9, 1),
    ),
]


@transaction.atomic
def seed_projects(*, users: dict[str, User]) -> None:
    for name in FUNDING_PROGRAMMES:
        FundingProgramme.objects.get_or_create(name=name, defaults={"slug": german_slugify(name)})
    space = home_space()
    for position, demo in enumerate(PROJECTS):
        if Project.objects.filter(title=demo.title).exists():
            continue
        _create(demo, space=space, users=users, age_days=len(PROJECTS) * 20 - position * 20)


def _create(demo: DemoProject, *, space, users: dict[str, User], age_days: int) -> Project:
    project = Project.objects.create(
        space=space,
        audience=space,
        slug=unique_slug(demo.title),
        title=demo.title,
        summary=demo.summary,
        description=demo.description,
        organisation=Organisation.objects.get(name=demo.organisation),
        funding_programme=FundingProgramme.objects.filter(name=demo.funding).first(),
        region=demo.region,
        starts_on=demo.starts,
        ends_on=demo.ends,
        contact_name=users[demo.submitter].name,
        contact_email=demo.submitter,
        links=["https://www.offensive-mittelstand.de/"] if demo.status == Project.Status.ACCEPTED else [],
        submitted_by=users[demo.submitter],
    )
    project.trades.set(Trade.objects.filter(name__in=demo.trades))
    project.topics.set(Topic.objects.filter(name__in=demo.topics))
    if demo.picture:
        _add_picture(project, demo.picture)
    if demo.attachment:
        pdf = one_page_pdf(demo.attachment)
        attachment = ProjectAttachment(
            project=project,
            title=demo.attachment,
            original_name="schulungsplan.pdf",
            content_type="application/pdf",
            size=len(pdf),
        )
        attachment.file.save("attachment.pdf", ContentFile(pdf), save=False)
        attachment.save()
    if demo.status != Project.Status.DRAFT:
        _review_history(project, demo, users=users, age_days=age_days)
    return project


def _review_history(project: Project, demo: DemoProject, *, users, age_days: int) -> None:
    """Submissions, reviews and decisions round by round, spread over the past weeks."""
    when = timezone.now() - datetime.timedelta(days=age_days)
    rounds = max(len(demo.reviews), 1)
    for number in range(1, rounds + 1):
        Submission.objects.create(
            project=project, number=number, snapshot=snapshot(project), submitted_by=project.submitted_by
        )
        for reviewer, transferability, t_reason, added_value, v_reason in (
            demo.reviews[number - 1] if demo.reviews else []
        ):
            Review.objects.create(
                project=project,
                round=number,
                reviewer=users[reviewer],
                transferability=transferability,
                transferability_reason=t_reason,
                added_value=added_value,
                added_value_reason=v_reason,
            )
        if number <= len(demo.decisions):
            outcome, reason, changes, share = demo.decisions[number - 1]
            Decision.objects.create(
                project=project,
                round=number,
                outcome=outcome,
                reason=reason,
                changes_requested=changes,
                share_reviews=share,
                decided_by=users[COORDINATOR],
            )
    fortnight = datetime.timedelta(days=14)
    for number in range(1, rounds + 1):
        submitted_at = when - (rounds - number) * fortnight
        Submission.objects.filter(project=project, number=number).update(submitted_at=submitted_at)
        Decision.objects.filter(project=project, round=number).update(
            decided_at=submitted_at + datetime.timedelta(days=7)
        )
    project.round = rounds
    project.status = demo.status
    project.submitted_at = when
    if demo.status == Project.Status.ACCEPTED:
        project.audience = None
        project.accepted_at = when + datetime.timedelta(days=7)
        record_widening(project, previous=project.space, new=None, by=users[COORDINATOR])
    project.save()


def _add_picture(project: Project, colour: tuple[int, int, int]) -> None:
    """A simple drawing (a workshop's roof and window) in the project's colour."""
    picture = Image.new("RGB", (1200, 800), (245, 240, 232))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((200, 380, 1000, 720), fill=colour)
    draw.polygon([(150, 400), (600, 120), (1050, 400)], fill=tuple(max(c - 50, 0) for c in colour))
    draw.rectangle((520, 520, 680, 720), fill=(245, 240, 232))
    draw.rectangle((280, 460, 420, 580), fill=(230, 230, 210))
    draw.rectangle((780, 460, 920, 580), fill=(230, 230, 210))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    processed = images.process(SimpleUploadedFile("werkstatt.png", buffer.getvalue()))
    image = ProjectImage(
        project=project, alt_text=f"Zeichnung einer Werkstatt zum Projekt „{project.title}“", position=1
    )
    image.image.save(processed.image.name, processed.image, save=False)
    image.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    image.save()
