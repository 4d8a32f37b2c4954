"""An item's lifecycle: which status may follow which, and why a transition is refused."""

from __future__ import annotations

from shopcli.core.errors import Conflict

CANDIDATE = "candidate"
PROPOSED = "proposed"
APPROVED = "approved"
REJECTED = "rejected"
CHANGE_REQUESTED = "change_requested"
NEEDS_CLIENT = "needs_client"
ORDERED = "ordered"
SHIPPED = "shipped"
RECEIVED = "received"
DELIVERED = "delivered"
CANCELLED = "cancelled"
RETURNED = "returned"
REFUNDED = "refunded"

TRANSITIONS: dict[str, tuple[str, ...]] = {
    CANDIDATE: (PROPOSED, APPROVED, REJECTED, CANCELLED),
    PROPOSED: (APPROVED, REJECTED, CHANGE_REQUESTED, CANDIDATE, CANCELLED),
    CHANGE_REQUESTED: (CANDIDATE, PROPOSED, APPROVED, REJECTED, CANCELLED),
    REJECTED: (CANDIDATE, PROPOSED, APPROVED, CHANGE_REQUESTED),
    APPROVED: (ORDERED, NEEDS_CLIENT, REJECTED, CHANGE_REQUESTED, CANCELLED),
    NEEDS_CLIENT: (APPROVED, REJECTED, CHANGE_REQUESTED, PROPOSED, CANCELLED),
    ORDERED: (SHIPPED, RECEIVED, DELIVERED, CANCELLED),
    SHIPPED: (RECEIVED, DELIVERED, CANCELLED, RETURNED),
    # Back to ordered when the store exchanges it (a replacement is on its way).
    RECEIVED: (DELIVERED, RETURNED, ORDERED),
    DELIVERED: (RETURNED,),
    CANCELLED: (REFUNDED, CANDIDATE),
    RETURNED: (REFUNDED,),
    REFUNDED: (),
}
STATUSES = tuple(TRANSITIONS)

# Items that count as planned in a budget, and as approved (money committed).
PLANNED = (CANDIDATE, PROPOSED, CHANGE_REQUESTED, NEEDS_CLIENT)
COMMITTED = (APPROVED, ORDERED, SHIPPED, RECEIVED, DELIVERED)
BOUGHT = (ORDERED, SHIPPED, RECEIVED, DELIVERED)


def label(status: str) -> str:
    return status.replace("_", " ")


def check(current: str, new: str, what: str = "item") -> None:
    """Refuse a transition that makes no sense, listing the ones that do."""
    if new not in TRANSITIONS:
        raise Conflict(f"unknown status {new!r}; statuses: {', '.join(map(label, STATUSES))}")
    if new == current:
        raise Conflict(f"the {what} is already {label(current)}")
    allowed = TRANSITIONS.get(current, ())
    if new not in allowed:
        options = ", ".join(map(label, allowed)) or "nothing (this is final)"
        raise Conflict(
            f"cannot mark {_article(label(current))} {what} {label(new)}; from {label(current)} "
            "it can go "
            f"to: {options}"
        )


def _article(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"
