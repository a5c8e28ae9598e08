"""Demo data of the groups app: organisations, memberships and discussions (idempotent)."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from groups.models import (
    Document,
    DocumentComment,
    DocumentVersion,
    InformationPage,
    JoinRequest,
    Membership,
    Organisation,
    Post,
    Profile,
    Question,
    Space,
    Thread,
    Topic,
    Trade,
    User,
)
from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG
from portal.slugs import german_slugify

ORGANISATIONS = [
    ("Bundesanstalt für Arbeitsschutz und Arbeitsmedizin", "BAuA", Organisation.Kind.FEDERAL_INSTITUTE),
    ("Bundesministerium für Arbeit und Soziales", "BMAS", Organisation.Kind.MINISTRY),
    ("Zentralverband des Deutschen Handwerks", "ZDH", Organisation.Kind.TRADE_ASSOCIATION),
    ("Institut für Technik der Betriebsführung", "itb", Organisation.Kind.FEDERAL_INSTITUTE),
    ("Stiftung Mittelstand – Gesellschaft – Verantwortung", "", Organisation.Kind.FOUNDATION),
    ("Handwerkskammer Musterstadt", "HWK Musterstadt", Organisation.Kind.CHAMBER),
    ("Tischlerinnung Nordland", "", Organisation.Kind.GUILD),
    ("Beratungsgesellschaft Werkstatt & Wandel", "", Organisation.Kind.CONSULTANCY),
]

TRADES = [
    "Bäckerhandwerk",
    "Dachdeckerhandwerk",
    "Elektrotechnik",
    "Friseurhandwerk",
    "Metallbau",
    "Tischlerhandwerk",
]
TOPICS = [
    "Arbeitsschutz",
    "Ausbildung",
    "Digitalisierung",
    "Fachkräftesicherung",
    "Nachfolge",
    "Nachhaltigkeit",
]

# email -> (Anrede, Titel): how the demo's mails address them ("Sehr geehrte Frau Dr. Albers,").
SALUTATIONS = {
    "koordination@example.org": (Profile.Salutation.FRAU, "Dr."),
    "gast@example.org": (Profile.Salutation.HERR, ""),
}

# email -> (organisation, function, trades, topics)
PROFILES = {
    "koordination@example.org": (
        "Stiftung Mittelstand – Gesellschaft – Verantwortung",
        "Koordination",
        [],
        ["Fachkräftesicherung"],
    ),
    "innen@example.org": (
        "Handwerkskammer Musterstadt",
        "Betriebsberater",
        ["Bäckerhandwerk", "Metallbau"],
        ["Ausbildung"],
    ),
    "partner@example.org": (
        "Beratungsgesellschaft Werkstatt & Wandel",
        "Beraterin",
        ["Tischlerhandwerk"],
        ["Digitalisierung"],
    ),
    "gast@example.org": ("Tischlerinnung Nordland", "Geschäftsführer", ["Tischlerhandwerk"], []),
}

DOCUMENTS = [
    (
        INNER_SLUG,
        "innen@example.org",
        "Konzeptentwurf: Fachgruppe und Fachkräftezentren ergänzen sich",
        "Erster Entwurf, wie der interne Kreis und die Fachgruppe zusammenarbeiten. Bitte kommentieren.",
        "Wer informiert wen, wie oft, und welche Ergebnisse gehen nach außen?",
    ),
    (
        FACHGRUPPE_SLUG,
        "koordination@example.org",
        "Spielregeln der Fachgruppe Handwerk (Entwurf)",
        "Vorschlag für Ziele, Rahmen und Spielregeln der neu ausgerichteten Fachgruppe.",
        "Welche Kriterien gelten für die Vorstellung von Modellprojekten?",
    ),
]

# email -> [(space slug, role)]
MEMBERSHIPS = {
    "koordination@example.org": [
        (FACHGRUPPE_SLUG, Membership.Role.COORDINATOR),
        (INNER_SLUG, Membership.Role.COORDINATOR),
    ],
    "innen@example.org": [(FACHGRUPPE_SLUG, Membership.Role.MEMBER), (INNER_SLUG, Membership.Role.MEMBER)],
    "partner@example.org": [(FACHGRUPPE_SLUG, Membership.Role.MEMBER)],
    "pruefung@example.org": [(FACHGRUPPE_SLUG, Membership.Role.COORDINATOR)],
}

THREADS = [
    (
        INNER_SLUG,
        "innen@example.org",
        "Gesellenprüfung und Fachkräftesicherung in den Kammern",
        "Wie gehen Ihre Kammern mit den sinkenden Prüfungszahlen um? Bei uns zeigt sich das vor allem "
        "im Lebensmittelhandwerk. Ich würde gern vergleichen, bevor wir das in der Fachgruppe vorstellen.",
        [
            (
                "koordination@example.org",
                "Gute Frage. Lassen Sie uns Zahlen sammeln und in der nächsten Sitzung "
                "entscheiden, was wir mit der Fachgruppe teilen.",
            )
        ],
    ),
    (
        FACHGRUPPE_SLUG,
        "partner@example.org",
        "Kooperative Beratung: Erfahrungen mit Tandem-Terminen",
        "Wir haben in drei Betrieben gemeinsam mit der Kammer beraten, jeweils ein Termin vor Ort. "
        "Hat jemand ähnliche Erfahrungen, etwa zur Aufteilung der Themen?",
        [("innen@example.org", "Ja, bei uns klappt es gut, wenn vorher klar ist, wer welches Thema führt.")],
    ),
]


@transaction.atomic
def seed_groups(*, users: dict[str, User]) -> None:
    for name, short_name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(name=name, defaults={"short_name": short_name, "kind": kind})
    for name in TRADES:
        Trade.objects.get_or_create(name=name, defaults={"slug": german_slugify(name)})
    for name in TOPICS:
        Topic.objects.get_or_create(name=name, defaults={"slug": german_slugify(name)})
    for email, (organisation, function, trades, topics) in PROFILES.items():
        profile, created = Profile.objects.get_or_create(
            user=users[email],
            defaults={
                "organisation": Organisation.objects.get(name=organisation),
                "function": function,
                "advises_crafts": True,
            },
        )
        if created:
            profile.trades.set(Trade.objects.filter(name__in=trades))
            profile.topics.set(Topic.objects.filter(name__in=topics))
    for email, (salutation, title) in SALUTATIONS.items():
        profile, _created = Profile.objects.get_or_create(user=users[email])
        if not profile.salutation and not profile.title:
            Profile.objects.filter(pk=profile.pk).update(salutation=salutation, title=title)
    spaces = {space.slug: space for space in Space.objects.all()}
    for email, memberships in MEMBERSHIPS.items():
        for slug, role in memberships:
            Membership.objects.get_or_create(space=spaces[slug], user=users[email], defaults={"role": role})
    if not JoinRequest.objects.filter(user=users["gast@example.org"]).exists():
        JoinRequest.objects.create(
            space=spaces[FACHGRUPPE_SLUG],
            user=users["gast@example.org"],
            message="Ich berate Tischlereien in Norddeutschland und möchte in der Fachgruppe mitarbeiten.",
        )
    for slug, author, title, body, replies in THREADS:
        space = spaces[slug]
        thread, created = Thread.objects.get_or_create(
            space=space, title=title, defaults={"audience": space, "author": users[author]}
        )
        if created:
            Post.objects.create(thread=thread, author=users[author], body=body)
            for reply_author, reply in replies:
                Post.objects.create(thread=thread, author=users[reply_author], body=reply)

    for slug, author, title, description, question in DOCUMENTS:
        space = spaces[slug]
        document, created = Document.objects.get_or_create(
            space=space,
            title=title,
            defaults={"audience": space, "description": description, "created_by": users[author]},
        )
        if created:
            version = DocumentVersion(
                document=document,
                number=1,
                original_name="konzeptentwurf.pdf",
                content_type="application/pdf",
                uploaded_by=users[author],
            )
            pdf = one_page_pdf(title)
            version.size = len(pdf)
            version.file.save("konzeptentwurf.pdf", ContentFile(pdf), save=False)
            version.save()
            DocumentComment.objects.create(
                document=document, author=users["koordination@example.org"], body=question
            )
    seed_questions(users=users, fachgruppe=spaces[FACHGRUPPE_SLUG])


ANSWERED_QUESTION = {
    "title": "Wie gewinnen Bäckereien Fachkräfte aus anderen Berufen?",
    "body": (
        "In der AG Transfer berichten mehrere Partner, dass Bäckereien offene Stellen in der Backstube "
        "kaum noch besetzen können. Gibt es erprobte Wege für Quereinsteigerinnen und Quereinsteiger, "
        "etwa aus der Gastronomie oder der Lebensmittelindustrie, und welche Unterstützung bieten "
        "Kammern und Innungen dabei?"
    ),
}
ANSWER_PAGE = {
    "title": "Quereinstieg in die Backstube: So gewinnen Bäckereien neue Fachkräfte",
    "slug": "quereinstieg-in-die-backstube",
    "summary": (
        "Wie Bäckereien Menschen aus anderen Berufen einarbeiten, welche Qualifizierungen es gibt "
        "und wo Betriebe Unterstützung finden."
    ),
    "body": (
        "## Worum es geht\n\n"
        "Viele Bäckereien finden für die Backstube keine ausgebildeten Fachkräfte mehr. Menschen aus "
        "Gastronomie, Hotellerie oder Lebensmittelindustrie bringen oft viel mit, was im Handwerk zählt.\n\n"
        "## Was sich bewährt hat\n\n"
        "- **Probearbeit mit Paten:** Ein erfahrener Geselle begleitet die ersten Wochen.\n"
        "- **Teilqualifizierung:** Kammern bieten modulare Qualifizierungen an, die Schritt für Schritt "
        "zum Berufsabschluss führen können.\n"
        "- **Arbeitszeiten offen ansprechen:** Frühe Schichten sind für manche ein Vorteil, für andere "
        "ein Ausschlussgrund; klare Absprachen verhindern Abbrüche.\n\n"
        "## Wer unterstützt\n\n"
        "Die Betriebsberatung Ihrer Handwerkskammer und die Innung vor Ort helfen bei der Planung. "
        "Die Offensive Mittelstand stellt Checks zur Personalarbeit bereit."
    ),
}
OPEN_QUESTIONS = [
    (
        "gast@example.org",
        "AG Transfer",
        "Welche Förderprogramme helfen Tischlereien, die Auftragsabwicklung zu digitalisieren?",
        "Kleine Tischlereien fragen uns oft nach Zuschüssen für Software vom Aufmaß bis zur Rechnung. "
        "Welche Programme kennen Sie aus Ihrer Beratung, und was hat sich bewährt?",
        ["Tischlerhandwerk"],
        ["Digitalisierung"],
        None,
    ),
    (
        "partner@example.org",
        "AG Transfer",
        "Wie gelingt die Nachfolge in kleinen Elektrobetrieben?",
        "Viele Inhaber von Elektrobetrieben mit weniger als zehn Beschäftigten gehen in den nächsten "
        "Jahren in den Ruhestand. Welche Wege zur Übergabe empfehlen die Kammern, und wann sollte die "
        "Planung beginnen?",
        ["Elektrotechnik"],
        ["Nachfolge"],
        "innen@example.org",
    ),
]


def seed_questions(*, users: dict[str, User], fachgruppe: Space) -> None:
    """One answered question of the AG Transfer with its public page, one awaiting triage, one in progress."""
    coordinator = users["koordination@example.org"]
    bakery, skills = Trade.objects.get(name="Bäckerhandwerk"), Topic.objects.get(name="Fachkräftesicherung")
    answered, created = Question.objects.get_or_create(
        title=ANSWERED_QUESTION["title"],
        defaults={
            "space": fachgruppe,
            "audience": fachgruppe,
            "body": ANSWERED_QUESTION["body"],
            "working_group": "AG Transfer",
            "asked_by": users["partner@example.org"],
            "status": Question.Status.ANSWERED,
            "assignee": users["innen@example.org"],
            "decided_by": coordinator,
            "decided_at": timezone.now() - timedelta(days=30),
            "answered_at": timezone.now() - timedelta(days=14),
        },
    )
    if created:
        answered.trades.set([bakery])
        answered.topics.set([skills])
    page, created = InformationPage.objects.get_or_create(
        slug=ANSWER_PAGE["slug"],
        defaults={
            **ANSWER_PAGE,
            "space": fachgruppe,
            "audience": None,
            "author": coordinator,
            "source_question": answered,
            "published_at": answered.answered_at,
            # Published before anyone subscribed: nothing to mail.
            "subscribers_fanned_out_at": answered.answered_at,
        },
    )
    if created:
        page.trades.set([bakery])
        page.topics.set([skills])
    for email, group, title, body, trades, topics, assignee in OPEN_QUESTIONS:
        question, created = Question.objects.get_or_create(
            title=title,
            defaults={
                "space": fachgruppe,
                "audience": fachgruppe,
                "body": body,
                "working_group": group,
                "asked_by": users[email],
            },
        )
        if not created:
            continue
        question.trades.set(Trade.objects.filter(name__in=trades))
        question.topics.set(Topic.objects.filter(name__in=topics))
        if assignee is not None:
            thread = Thread.objects.create(
                space=fachgruppe, audience=fachgruppe, author=coordinator, title=title
            )
            Post.objects.create(
                thread=thread,
                author=coordinator,
                body=f"Frage der AG Transfer, zuständig: @{users[assignee].name}\n\n{body}",
            )
            question.status = Question.Status.ACCEPTED
            question.assignee = users[assignee]
            question.thread = thread
            question.decided_by = coordinator
            question.decided_at = timezone.now() - timedelta(days=3)
            question.save(update_fields=["status", "assignee", "thread", "decided_by", "decided_at"])


def one_page_pdf(title: str) -> bytes:
    """A small valid PDF with one line of text, so the demo has a real file to download."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
