"""E-mails of the notifications: in the recipient's language, HTML and text, with one-click unsubscribe."""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from groups.models import Membership
from portal import dates
from portal.email import PortalEmail
from portal.notifications import kinds
from portal.notifications.kinds import Kind
from portal.notifications.models import UnsubscribeToken
from portal.salutation import salutation


def unsubscribe_tokens(user_ids: set[int], topic: str) -> dict[int, str]:
    """The token for the next mail of every person for one topic, in three queries at most.

    The newest unused token issued less than REISSUE_AFTER ago, else a fresh one (the rules
    are on UnsubscribeToken); issuing also forgets the person's tokens older than KEPT_FOR.
    """
    now = timezone.now()
    current = dict(
        UnsubscribeToken.objects.filter(
            user_id__in=user_ids,
            topic=topic,
            used_at__isnull=True,
            issued_at__gt=now - UnsubscribeToken.REISSUE_AFTER,
        )
        .order_by("issued_at")
        .values_list("user_id", "token")
    )
    missing = user_ids - set(current)
    if missing:
        UnsubscribeToken.objects.filter(
            user_id__in=missing, topic=topic, issued_at__lt=now - UnsubscribeToken.KEPT_FOR
        ).delete()
        issued = UnsubscribeToken.objects.bulk_create(
            [UnsubscribeToken(user_id=pk, topic=topic, issued_at=now) for pk in missing]
        )
        current |= {token.user_id: token.token for token in issued}
    return current


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("notifications:unsubscribe", kwargs={"token": token})


def build_message(
    *, user, subject: str, template: str, context: dict, unsubscribe_token: str, message_id: str
) -> PortalEmail:
    """One mail: `template` names notifications/email/<template>.txt and .html."""
    url = unsubscribe_url(unsubscribe_token)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            **context,
            "user": user,
            "salutation": salutation(user),
            "unsubscribe_url": url,
            "site_url": settings.SITE_URL,
        }
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    return _assemble(user=user, subject=subject, text=text, html=html, url=url, message_id=message_id)


def mail_domain() -> str:
    """The host of SITE_URL: the domain of the portal's Message-IDs and List-Id."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def list_id(name: str = "benachrichtigungen", description: str = "Fachgruppe Handwerk") -> str:
    """RFC 2919: mail programs file and filter the portal's mails by it; one list per kind of mailing
    (`name` is the list's label on the portal's domain)."""
    return f"{description} <{name}.{mail_domain()}>"


def _assemble(*, user, subject: str, text: str, html: str, url: str, message_id: str) -> PortalEmail:
    message = PortalEmail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": message_id,
            "List-Id": list_id(),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# An event's mail differs between its recipients only in the salutation and the unsubscribe
# link; it is rendered once per language with these stand-ins, filled in per person.
_SALUTATION = "\x00salutation\x00"
_UNSUBSCRIBE_URL = "\x00unsubscribe\x00"
# Tokens are URL-safe already; the link is reversed once per rendering, not once per mail.
_LINK_STAND_IN = "STAND-IN"


@dataclass(frozen=True)
class RenderedEvent:
    subject: str
    text: str
    html: str
    # The unsubscribe link with _LINK_STAND_IN where each person's token goes.
    unsubscribe_url: str
    language: str = settings.LANGUAGE_CODE


def render_event(event, *, language: str) -> RenderedEvent:
    stand_in = SimpleNamespace(name="", language=language)
    with translation.override(language):
        context = {
            "event": event,
            "data": display_data(event),
            "kind": event.kind_label,
            "user": stand_in,
            "salutation": _SALUTATION,
            "unsubscribe_url": _UNSUBSCRIBE_URL,
            "site_url": settings.SITE_URL,
        }
        text = render_to_string("notifications/email/event.txt", context)
        html = render_to_string("notifications/email/event.html", context)
    return RenderedEvent(
        subject=event_subject(event, language=language),
        text=text,
        html=html,
        unsubscribe_url=unsubscribe_url(_LINK_STAND_IN),
        language=language,
    )


def event_message(rendered: RenderedEvent, *, user, unsubscribe_token: str, message_id: str) -> PortalEmail:
    url = rendered.unsubscribe_url.replace(_LINK_STAND_IN, unsubscribe_token)
    with translation.override(rendered.language):
        greeting = salutation(user)
    return _assemble(
        user=user,
        subject=rendered.subject,
        text=rendered.text.replace(_SALUTATION, greeting).replace(_UNSUBSCRIBE_URL, url),
        html=rendered.html.replace(_SALUTATION, escape(greeting)).replace(_UNSUBSCRIBE_URL, escape(url)),
        url=url,
        message_id=message_id,
    )


def display_data(event) -> dict:
    """The event's frozen data, with coded values put into words of the active language.

    Dates are frozen as ISO values (`due_on`; `starts_at` and `ends_at` of a
    meeting) and written here as the reader reads them: `due` and `when`.
    """
    data = dict(event.data)
    if event.kind == Kind.WIDENED_FOR_AUTHOR and not data.get("ring"):
        data["ring"] = str(PUBLIC_RING)
    for key in ("role", "role_before"):
        if key in data:
            data[key] = str(Membership.Role(data[key]).label)
    if event.kind in SENTENCES:
        data["excerpt"] = str(SENTENCES[event.kind]) % data
        if data.get("spaces"):
            data["excerpt"] += " " + str(ALSO_ENDED) % {"spaces": ", ".join(data["spaces"])}
    decision = data.get("decision", "")
    if "decision" in data:
        data["decision"] = str(DECISIONS.get(data["decision"], data["decision"]))
    if data.get("due_on"):
        data["due"] = date_format(datetime.date.fromisoformat(data["due_on"]), "SHORT_DATE_FORMAT")
    if data.get("starts_at"):
        ends_at = data.get("ends_at")
        data["when"] = dates.period(
            datetime.datetime.fromisoformat(data["starts_at"]),
            datetime.datetime.fromisoformat(ends_at) if ends_at else None,
        )
    words = _Blank(data)
    happened = HAPPENED.get((event.kind, decision)) or HAPPENED.get(event.kind)
    data["happened"] = str(happened) % words if happened else str(event.kind_label)
    next_step = NEXT_STEPS.get((event.kind, decision)) or NEXT_STEPS.get(event.kind)
    data["next"] = str(next_step) % words if next_step else ""
    return data


class _Blank(dict):
    """The event's data for a sentence: a value an older event did not freeze reads as empty."""

    def __missing__(self, key):
        return ""


def event_subject(event, *, language: str) -> str:
    with translation.override(language):
        return str(_subject(event.kind)) % display_data(event)


def _subject(kind: str):
    """The portal's own wording, else what the kind was registered with, else its label."""
    if kind in SUBJECTS:
        return SUBJECTS[kind]
    registered = kinds.spec(kind)
    subject = registered.subject if registered is not None else None
    return subject or kinds.label(kind).replace("%", "%%")


DECISIONS = {
    "approved": translation.gettext_lazy("aufgenommen"),
    "declined": translation.gettext_lazy("abgelehnt"),
    "accepted": translation.gettext_lazy("angenommen"),
    "merged": translation.gettext_lazy("mit einer anderen Frage zusammengeführt"),
    "returned": translation.gettext_lazy("zur Überarbeitung zurückgegeben"),
}


SUBJECTS = {
    Kind.JOIN_REQUESTED: translation.gettext_lazy("Beitrittsanfrage von %(actor)s für %(space)s"),
    Kind.JOIN_DECIDED: translation.gettext_lazy("Ihre Anfrage für %(space)s: %(decision)s"),
    Kind.INVITED: translation.gettext_lazy("Einladung in den Raum %(space)s"),
    Kind.WIDENED: translation.gettext_lazy("Neu für Sie sichtbar: %(title)s"),
    Kind.WIDENED_FOR_AUTHOR: translation.gettext_lazy("Ihr Beitrag ist jetzt weiter sichtbar: %(title)s"),
    Kind.THREAD_CREATED: translation.gettext_lazy("Neue Diskussion in %(space)s: %(title)s"),
    Kind.POST_CREATED: translation.gettext_lazy("Neue Antwort: %(title)s"),
    Kind.MENTIONED: translation.gettext_lazy("%(actor)s hat Sie erwähnt: %(title)s"),
    Kind.QUESTION_ASKED: translation.gettext_lazy("Neue Frage an %(space)s: %(title)s"),
    Kind.QUESTION_DECIDED: translation.gettext_lazy("Ihre Frage „%(title)s“: %(decision)s"),
    Kind.QUESTION_ANSWERED: translation.gettext_lazy("Ihre Frage ist beantwortet: %(title)s"),
    Kind.INFORMATION_PUBLISHED: translation.gettext_lazy("Neue Information für Betriebe: %(title)s"),
    Kind.MEETING_SCHEDULED: translation.gettext_lazy("Neue Sitzung in %(space)s: %(title)s"),
    Kind.MEETING_CHANGED: translation.gettext_lazy("Sitzung geändert: %(title)s"),
    Kind.MEETING_CANCELLED: translation.gettext_lazy("Sitzung abgesagt: %(title)s"),
    Kind.AGENDA_PUBLISHED: translation.gettext_lazy("Tagesordnung für %(title)s"),
    Kind.MINUTES_PUBLISHED: translation.gettext_lazy("Protokoll veröffentlicht: %(title)s"),
    Kind.ACTION_ITEM_ASSIGNED: translation.gettext_lazy("Neue Aufgabe für Sie: %(title)s"),
    Kind.ACTION_ITEM_DUE: translation.gettext_lazy("Aufgabe fällig am %(due)s: %(title)s"),
    Kind.ACTION_ITEM_OVERDUE: translation.gettext_lazy("Aufgabe überfällig seit %(due)s: %(title)s"),
    Kind.POLL_OPENED: translation.gettext_lazy("Terminumfrage: %(title)s"),
    Kind.POLL_CLOSED: translation.gettext_lazy("Termin steht fest: %(title)s"),
    Kind.REGISTRATION_MOVED_UP: translation.gettext_lazy("Sie haben einen Platz: %(title)s"),
    Kind.MEETING_INVITED: translation.gettext_lazy("Einladung: %(title)s"),
    Kind.PROJECT_SUBMITTED: translation.gettext_lazy("Projekt zur Prüfung: %(title)s"),
    Kind.PROJECT_DECIDED: translation.gettext_lazy("Ihr Projekt „%(title)s“: %(decision)s"),
    Kind.PROJECT_ACCEPTED: translation.gettext_lazy("Neues Modellprojekt: %(title)s"),
    Kind.MEMBERSHIP_ENDED: translation.gettext_lazy("Sie wurden aus dem Raum %(space)s entfernt"),
    Kind.ROLE_CHANGED: translation.gettext_lazy("Ihre Rolle in %(space)s: %(role)s"),
    Kind.MEMBER_LEFT: translation.gettext_lazy("%(actor)s hat den Raum %(space)s verlassen"),
}


# What a membership event says in the mail, in the reader's language (the event stores codes).
SENTENCES = {
    Kind.MEMBERSHIP_ENDED: translation.gettext_lazy(
        "%(actor)s hat Sie aus dem Raum „%(space)s“ entfernt. Sie sehen dessen Inhalte nicht mehr."
    ),
    Kind.ROLE_CHANGED: translation.gettext_lazy(
        "%(actor)s hat Ihre Rolle im Raum „%(space)s“ geändert: bisher %(role_before)s, jetzt %(role)s."
    ),
    Kind.MEMBER_LEFT: translation.gettext_lazy("%(actor)s hat den Raum „%(space)s“ verlassen."),
    Kind.WIDENED_FOR_AUTHOR: translation.gettext_lazy(
        "%(actor)s hat „%(title)s“ für %(ring)s freigegeben. Das lässt sich nicht zurücknehmen."
    ),
}
PUBLIC_RING = translation.gettext_lazy("alle Besucherinnen und Besucher ohne Anmeldung")
ALSO_ENDED = translation.gettext_lazy("Damit endet auch Ihre Mitgliedschaft in: %(spaces)s.")


_ = translation.gettext_lazy

# What happened, to what: the first sentence of every mail and the entry in the notification
# centre. Keyed by the kind, or by (kind, decision) where the decision changes the sentence.
HAPPENED = {
    Kind.JOIN_REQUESTED: _("%(actor)s möchte dem Raum „%(space)s“ beitreten."),
    (Kind.JOIN_DECIDED, "approved"): _(
        "Ihre Beitrittsanfrage wurde angenommen: Sie sind jetzt Mitglied im Raum „%(space)s“."
    ),
    (Kind.JOIN_DECIDED, "declined"): _("Ihre Anfrage, dem Raum „%(space)s“ beizutreten, wurde abgelehnt."),
    Kind.JOIN_DECIDED: _("Über Ihre Anfrage für den Raum „%(space)s“ wurde entschieden: %(decision)s."),
    Kind.INVITED: _("%(actor)s hat Sie in den Raum „%(space)s“ eingeladen."),
    Kind.WIDENED: _("„%(title)s“ aus dem Raum „%(space)s“ ist jetzt auch für Sie sichtbar."),
    Kind.WIDENED_FOR_AUTHOR: _("%(actor)s hat Ihren Beitrag „%(title)s“ für %(ring)s freigegeben."),
    Kind.THREAD_CREATED: _("%(actor)s hat im Raum „%(space)s“ die Diskussion „%(title)s“ begonnen."),
    Kind.POST_CREATED: _("%(actor)s hat in der Diskussion „%(title)s“ geantwortet."),
    Kind.MENTIONED: _("%(actor)s hat Sie in der Diskussion „%(title)s“ erwähnt."),
    Kind.QUESTION_ASKED: _("%(actor)s hat der Fachgruppe die Frage „%(title)s“ gestellt."),
    Kind.QUESTION_DECIDED: _("Über Ihre Frage „%(title)s“ wurde entschieden: %(decision)s."),
    Kind.QUESTION_ANSWERED: _("Ihre Frage „%(title)s“ ist beantwortet."),
    Kind.INFORMATION_PUBLISHED: _(
        "Die Fachgruppe hat die Information „%(title)s“ für Betriebe veröffentlicht."
    ),
    Kind.MEETING_SCHEDULED: _("%(actor)s hat im Raum „%(space)s“ die Sitzung „%(title)s“ angesetzt."),
    Kind.MEETING_CHANGED: _("%(actor)s hat die Sitzung „%(title)s“ geändert."),
    Kind.MEETING_CANCELLED: _("%(actor)s hat die Sitzung „%(title)s“ abgesagt."),
    Kind.AGENDA_PUBLISHED: _("%(actor)s hat die Tagesordnung der Sitzung „%(title)s“ veröffentlicht."),
    Kind.MINUTES_PUBLISHED: _("%(actor)s hat das Protokoll der Sitzung „%(title)s“ veröffentlicht."),
    Kind.ACTION_ITEM_ASSIGNED: _("%(actor)s hat Ihnen die Aufgabe „%(title)s“ übertragen."),
    Kind.ACTION_ITEM_DUE: _("Ihre Aufgabe „%(title)s“ ist am %(due)s fällig."),
    Kind.ACTION_ITEM_OVERDUE: _("Ihre Aufgabe „%(title)s“ ist seit %(due)s überfällig."),
    Kind.POLL_OPENED: _("%(actor)s sucht mit einer Terminumfrage einen Termin für „%(title)s“."),
    Kind.POLL_CLOSED: _("Der Termin der Sitzung „%(title)s“ steht fest."),
    Kind.REGISTRATION_MOVED_UP: _(
        "Sie sind von der Warteliste nachgerückt und haben einen Platz bei „%(title)s“."
    ),
    Kind.MEETING_INVITED: _("%(actor)s hat Sie zur Sitzung „%(title)s“ eingeladen."),
    Kind.PROJECT_SUBMITTED: _("%(actor)s hat das Projekt „%(title)s“ zur Prüfung eingereicht."),
    Kind.PROJECT_DECIDED: _("Über Ihr Projekt „%(title)s“ wurde entschieden: %(decision)s."),
    Kind.PROJECT_ACCEPTED: _("Das Projekt „%(title)s“ ist neu im Schaufenster der Modellprojekte."),
    Kind.MEMBERSHIP_ENDED: _("%(actor)s hat Sie aus dem Raum „%(space)s“ entfernt."),
    Kind.ROLE_CHANGED: _("%(actor)s hat Ihre Rolle im Raum „%(space)s“ geändert: jetzt %(role)s."),
    Kind.MEMBER_LEFT: _("%(actor)s hat den Raum „%(space)s“ verlassen."),
}

# What to do next: the sentence before the link.
NEXT_STEPS = {
    Kind.JOIN_REQUESTED: _("Bitte prüfen Sie die Anfrage und nehmen Sie sie an oder lehnen Sie sie ab:"),
    (Kind.JOIN_DECIDED, "approved"): _(
        "Sie sehen jetzt die Diskussionen, Dokumente und Sitzungen des Raums und können mitarbeiten:"
    ),
    Kind.JOIN_DECIDED: _("Den Raum und Ihre weiteren Möglichkeiten finden Sie hier:"),
    Kind.INVITED: _(
        "Die Einladung mit dem Link zum Annehmen haben Sie per E-Mail erhalten. Den Raum finden Sie hier:"
    ),
    Kind.WIDENED: _("Lesen Sie den Beitrag im Portal:"),
    Kind.WIDENED_FOR_AUTHOR: _("Ihren Beitrag finden Sie hier:"),
    Kind.THREAD_CREATED: _("Lesen Sie den Beitrag und antworten Sie im Portal:"),
    Kind.POST_CREATED: _("Lesen Sie die Antwort und antworten Sie im Portal:"),
    Kind.MENTIONED: _("Lesen Sie den Beitrag und antworten Sie im Portal:"),
    Kind.QUESTION_ASKED: _("Bitte sichten Sie die Frage und entscheiden Sie, wie sie beantwortet wird:"),
    Kind.QUESTION_DECIDED: _("Den Stand Ihrer Frage finden Sie hier:"),
    Kind.QUESTION_ANSWERED: _("Lesen Sie die Antwort im Portal:"),
    Kind.INFORMATION_PUBLISHED: _("Lesen Sie die Information im Portal:"),
    Kind.MEETING_SCHEDULED: _("Termin, Ort und Tagesordnung finden Sie hier:"),
    Kind.MEETING_CHANGED: _("Bitte prüfen Sie, ob der neue Stand für Sie passt:"),
    Kind.MEETING_CANCELLED: _("Die Sitzung findet nicht statt. Einzelheiten finden Sie hier:"),
    Kind.AGENDA_PUBLISHED: _("Bitte bereiten Sie sich vor und sagen Sie zu oder ab:"),
    Kind.MINUTES_PUBLISHED: _("Lesen Sie das Protokoll im Portal:"),
    Kind.ACTION_ITEM_ASSIGNED: _("Ihre Aufgaben und ihren Stand finden Sie hier:"),
    Kind.ACTION_ITEM_DUE: _("Bitte erledigen Sie die Aufgabe oder setzen Sie ihren Stand:"),
    Kind.ACTION_ITEM_OVERDUE: _("Bitte erledigen Sie die Aufgabe oder setzen Sie ihren Stand:"),
    Kind.POLL_OPENED: _("Bitte geben Sie an, welche Termine Ihnen passen:"),
    Kind.POLL_CLOSED: _("Termin und Einzelheiten finden Sie hier:"),
    Kind.REGISTRATION_MOVED_UP: _("Können Sie doch nicht teilnehmen, geben Sie den Platz bitte hier frei:"),
    Kind.MEETING_INVITED: _("Bitte sagen Sie zu oder ab:"),
    Kind.PROJECT_SUBMITTED: _("Bitte prüfen Sie das Projekt:"),
    Kind.PROJECT_DECIDED: _("Ihr Projekt und die Hinweise der Prüfung finden Sie hier:"),
    Kind.PROJECT_ACCEPTED: _("Sehen Sie sich das Projekt im Schaufenster an:"),
    Kind.MEMBERSHIP_ENDED: _("Die Räume, in denen Sie weiter mitarbeiten, finden Sie hier:"),
    Kind.ROLE_CHANGED: _("Den Raum finden Sie hier:"),
    Kind.MEMBER_LEFT: _("Die Mitglieder des Raums finden Sie hier:"),
}
