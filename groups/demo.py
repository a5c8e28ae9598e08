"""Demo data of the groups app: organisations, memberships and discussions (idempotent)."""

from django.db import transaction

from groups.models import JoinRequest, Membership, Organisation, Post, Space, Thread, User
from groups.spaces import FACHGRUPPE_SLUG, INNER_SLUG

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

# email -> [(space slug, role)]
MEMBERSHIPS = {
    "koordination@example.org": [
        (FACHGRUPPE_SLUG, Membership.Role.COORDINATOR),
        (INNER_SLUG, Membership.Role.COORDINATOR),
    ],
    "innen@example.org": [(FACHGRUPPE_SLUG, Membership.Role.MEMBER), (INNER_SLUG, Membership.Role.MEMBER)],
    "partner@example.org": [(FACHGRUPPE_SLUG, Membership.Role.MEMBER)],
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
