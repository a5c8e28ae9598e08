"""A form sent twice creates its object once.

A creating form (new thread, reply, question, project, document, comment) carries a hidden
one-time token, issued when the form is rendered. The first POST that creates something takes
the token by inserting it into a unique column, in the same transaction as the creation; a
repeated or parallel POST with the same token waits on that row, finds it, and is sent to what
the first one created. A creation that fails rolls the token back, so the form can be sent again.
"""

import datetime
import re
import secrets
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalForm
from portal.models import FormSubmission

FIELD = "once"
KEPT_FOR = datetime.timedelta(days=2)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")

EXPIRED = _(
    "Das Formular war unvollständig oder abgelaufen. "
    "Bitte prüfen Sie Ihre Angaben und senden Sie es noch einmal."
)
ALREADY_SENT = _("Dieses Formular wurde bereits abgeschickt; hier ist das Ergebnis.")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SubmitOnceForm(PortalForm):
    """Adds the hidden token; a form sent without a well-formed one comes back with a fresh one."""

    once = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.token_refused = False
        if not self.is_bound:
            self.initial.setdefault(FIELD, new_token())
        elif not _TOKEN.fullmatch(self.data.get(self.add_prefix(FIELD)) or ""):
            self.refuse_token()

    def refuse_token(self) -> None:
        """Re-renders with a fresh token, keeping everything else that was typed."""
        self.token_refused = True
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = new_token()

    def clean(self):
        cleaned = super().clean()
        if self.token_refused:
            self.add_error(None, forms.ValidationError(EXPIRED, code="token"))
        self.token = cleaned.pop(FIELD, "")
        return cleaned


def submit(
    *, request, form: SubmitOnceForm, create: Callable[[], str], success_message: str = ""
) -> HttpResponse | None:
    """Runs `create` (which makes the object and returns where to go) once per token.

    Returns the redirect to follow, or None when the token belongs to someone else: the form then
    carries an error and a fresh token and is rendered again. A ValidationError from `create`
    reaches the caller with nothing created and the token still free.
    """
    user = request.user
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(token=form.token, user=user)
        except IntegrityError:
            submission = None
        if submission is not None:
            submission.url = create()
            submission.save(update_fields=["url"])
            FormSubmission.objects.filter(user=user, created_at__lt=timezone.now() - KEPT_FOR).delete()
    if submission is not None:
        if success_message:
            messages.success(request, success_message)
        return redirect(submission.url)
    first = FormSubmission.objects.filter(token=form.token, user=user).first()
    if first is None:
        form.refuse_token()
        form.add_error(None, _gettext(EXPIRED))
        return None
    messages.info(request, _gettext(ALREADY_SENT))
    return redirect(first.url)
