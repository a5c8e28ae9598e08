"""What the privacy app announces; the audit log (another app) listens.

Both are sent inside the transaction of the change, so a receiver that writes a
row is committed or rolled back with it.

- `data_export_requested(sender, person, actor, request)`: a ZIP of everything
  about `person` was requested by `actor` (today always the person themself);
  `request` is the HTTP request, or None from a task or a command.
- `account_erased(sender, person_id, person_label, actor, request, on_request)`:
  the account `person_id` was erased. `person_label` is the name (or address)
  it had, for the record, since the account itself no longer tells; `actor` is
  who erased it (the person themself, or a coordinator or staff when
  `on_request` is True); `request` as above. The account row stays as a
  nameless placeholder with the same id (see privacy.erasure).
"""

from django.dispatch import Signal

data_export_requested = Signal()
account_erased = Signal()
