"""Signals of the meetings app for what the models' own signals do not tell."""

from django.dispatch import Signal

# Sent (sender: the model, meeting: the meeting) after a write that sends no model signal
# (`QuerySet.update()`, `bulk_create()`) changed the rows of a meeting: reports.meeting_months
# forgets the months it kept.
rows_changed = Signal()
