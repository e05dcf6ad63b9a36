"""The events the pwa reacts to (push and live), as its own tagged union.

`ThanksPrompted` is read here with only the fields the pwa needs: recognition's contract for
`secpool.recognition.prompt.created` was not committed yet when this was written; once it is in
services/contracts/recognition.py, import it from there instead. Unknown fields are ignored.
"""

from datetime import datetime

from services.contracts.base import Event
from services.contracts.intake import RequestStatusChanged
from services.contracts.recognition import KudosGiven
from services.contracts.routing import OfferAccepted, OfferDeclined, RequestOffered, RequestQueued


class ThanksPrompted(Event, tag="secpool.recognition.prompt.created", frozen=True, kw_only=True):
    """A request is done: its requester is invited to thank the people who worked on it."""

    prompt_id: str
    request_id: str
    requester_id: str
    expires_at: datetime | None = None


PushEvent = RequestOffered | OfferAccepted | RequestQueued | RequestStatusChanged | KudosGiven | ThanksPrompted
LiveEvent = (
    RequestStatusChanged | RequestOffered | OfferAccepted | OfferDeclined | RequestQueued | KudosGiven | ThanksPrompted
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
_LIVE_TYPES = (RequestStatusChanged, RequestOffered, OfferAccepted, OfferDeclined, RequestQueued, KudosGiven)
LIVE_SUBJECTS: list[str] = [subject(t) for t in (*_LIVE_TYPES, ThanksPrompted)]
