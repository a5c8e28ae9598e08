"""What the privacy app announces; the audit log (another app) listens.

Both are sent inside the transaction of the change, so a receiver that writes a
row is committed or rolled back with it.

- `data_export_requested(sender, person, actor, spaces, request)`: a ZIP of
  everything about `person` was requested by `actor` (today always the person
  themself); `spaces` are the spaces `person` is a member of; `request` is the
  HTTP request, or None from a task or a command.
- `account_erased(sender, person_id, name, email, actor, spaces, request, on_request)`:
  the account `person_id` was erased. `name` and `email` are what it had, for
  a receiver to find and remove (the account itself no longer tells); `spaces`
  are the spaces it was a member of until then; `actor` is who erased it (the
  person themself, or a coordinator or staff when `on_request` is True);
  `request` as above. The account row stays as a nameless placeholder with the
  same id (see privacy.erasure).
"""

from django.dispatch import Signal

data_export_requested = Signal()
account_erased = Signal()
