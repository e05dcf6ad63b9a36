"""The events the pwa reacts to (push and live), as its own tagged union of the contracts."""

from services.contracts.base import Event
from services.contracts.intake import AttachmentAdded, RequestCommented, RequestEdited, RequestStatusChanged
from services.contracts.recognition import KudosGiven, KudosReacted, ThanksPrompted
from services.contracts.routing import OfferAccepted, OfferDeclined, RequestOffered, RequestQueued

PushEvent = RequestOffered | OfferAccepted | RequestQueued | RequestStatusChanged | KudosGiven | ThanksPrompted
LiveEvent = (
    RequestStatusChanged
    | RequestCommented
    | RequestEdited
    | AttachmentAdded
    | RequestOffered
    | OfferAccepted
    | OfferDeclined
    | RequestQueued
    | KudosGiven
    | KudosReacted
    | ThanksPrompted
)


def subject(event_type: type[Event]) -> str:
    tag = event_type.__struct_config__.tag
    assert isinstance(tag, str)
    return tag


PUSH_SUBJECTS: dict[str, list[str]] = {
    "ROUTING": [subject(RequestOffered), subject(OfferAccepted), subject(RequestQueued)],
    "INTAKE": [subject(RequestStatusChanged)],
    "RECOGNITION": [subject(KudosGiven), subject(ThanksPrompted)],
}
_LIVE_TYPES = (
    RequestStatusChanged,
    RequestCommented,
    RequestEdited,
    AttachmentAdded,
    RequestOffered,
    OfferAccepted,
    OfferDeclined,
    RequestQueued,
    KudosGiven,
    KudosReacted,
)
LIVE_SUBJECTS: list[str] = [subject(t) for t in (*_LIVE_TYPES, ThanksPrompted)]
