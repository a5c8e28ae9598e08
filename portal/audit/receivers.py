"""Receivers for the signals of the data rights (issue 16, points 2 and 3), connected in
privacy.apps.

Both acts are recorded once for each space the person was a member of, so that the coordinators
of those spaces read them (groups.access.visible_audit_entries); a person of no space gets one
entry without a space, read by staff only. An erasure first removes the person's name and address
from the entries about them (services.pseudonymise) and names them by `former_member_label` in
its own entry: the fact stays, the name goes.
"""

from django.utils.translation import gettext as _

from portal.audit import services as audit
from portal.audit.actions import Action


def _existing(user, *, unless_id=None):
    """`user`, unless it is gone (or is the erased account itself): its row cannot be referred to."""
    if user is None or getattr(user, "pk", None) is None or user.pk == unless_id:
        return None
    return user


def data_export_requested(sender, *, person, actor, spaces=(), request=None, **_signal):
    for space in list(spaces) or [None]:
        audit.record(
            Action.DATA_EXPORT_REQUESTED,
            actor=_existing(actor),
            person=_existing(person),
            space=space,
            request=request,
            target_label=_("Datenauskunft (Art. 15 und 20 DSGVO)"),
        )


def account_erased(
    sender, *, person_id, name, email, actor, spaces=(), request=None, on_request=False, **_signal
):
    audit.pseudonymise(person_id=person_id, name=name, email=email)
    label = audit.former_member_label(person_id)
    by = _existing(actor, unless_id=person_id)
    for space in list(spaces) or [None]:
        audit.record(
            Action.ACCOUNT_ERASED,
            actor=by,
            actor_label="" if by is not None else label,
            person_label=label,
            space=space,
            request=request,
            target_label=_("Konto"),
            after={"person_id": person_id, "on_request": bool(on_request)},
        )
