"""Receivers for the signals of the data rights (issue 16, points 2 and 3): connect them where the
signals are defined, e.g.

    data_export_requested.connect(receivers.data_export_requested, dispatch_uid="audit-data-export")
    account_erased.connect(receivers.account_erased, dispatch_uid="audit-account-erased")

The erased account no longer exists when its signal arrives: the entry names it by the label and
id the signal carries. Without a `space` an entry is read by staff only.
"""

from django.utils.translation import gettext as _

from portal.audit import services as audit
from portal.audit.actions import Action


def _existing(user, *, unless_id=None):
    """`user`, unless it is gone (or is the erased account itself): its row cannot be referred to."""
    if user is None or getattr(user, "pk", None) is None or user.pk == unless_id:
        return None
    return user


def data_export_requested(sender, *, person, actor, request=None, space=None, **_signal):
    audit.record(
        Action.DATA_EXPORT_REQUESTED,
        actor=_existing(actor),
        person=_existing(person),
        space=space,
        request=request,
        target_label=_("Datenauskunft (Art. 15 und 20 DSGVO)"),
    )


def account_erased(
    sender, *, person_id, person_label, actor, request=None, on_request=False, space=None, **_signal
):
    label = f"{person_label} (#{person_id})" if person_label else f"#{person_id}"
    by = _existing(actor, unless_id=person_id)
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
