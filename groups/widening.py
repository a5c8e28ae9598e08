"""Widening with a confirmation: what a coordinator is shown before an item's audience grows.

Widening cannot be undone (rule 3 of the onion), so no widen action of the
portal works with one click: its GET, and any POST without the confirmation
field, shows templates/groups/widen_confirm.html, which names the ring that
will newly see the item, how many people that is (counted through the rule
book, groups.access) and what they will see. Only the POST from that page,
carrying CONFIRM_FIELD, widens.
"""

from dataclasses import dataclass, field

from groups import access
from groups.models import Space

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "widen"
OPENING_LINES = 3
OPENING_LENGTH = 300


@dataclass(frozen=True)
class WideningPreview:
    item: object
    title: str
    opening: str
    ring: Space | None  # the audience after widening; None is the public
    newly_reached: int  # accounts that see the item only afterwards (0 for the public: it has no list)
    confirm_url: str
    hidden: dict = field(default_factory=dict)  # fields the confirming POST repeats (a move's target)

    @property
    def is_public(self) -> bool:
        return self.ring is None


def opening(text: str) -> str:
    """The first lines of a text, as the newly reached people will first read it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:OPENING_LINES]
    shown = "\n".join(lines)
    return shown if len(shown) <= OPENING_LENGTH else shown[: OPENING_LENGTH - 1] + "…"


def preview(
    *, item, ring: Space | None, title: str, text: str, confirm_url: str, hidden: dict | None = None
) -> WideningPreview:
    """Who newly sees `item` once its audience is `ring`: those inside `ring` not inside its audience now."""
    newly = access.audience_member_ids(ring) - access.audience_member_ids(item.audience) if ring else set()
    return WideningPreview(
        item=item,
        title=title,
        opening=opening(text),
        ring=ring,
        newly_reached=len(newly),
        confirm_url=confirm_url,
        hidden=hidden or {},
    )


def is_confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def move_widens(thread, to_space: Space) -> bool:
    """Whether moving `thread` into `to_space` lets more people read it (groups.services.thread_move)."""
    return access.move_widens(thread.audience_id, to_space=to_space)
