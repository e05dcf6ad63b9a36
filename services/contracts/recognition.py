"""Events published by recognition: kudos given, and (later) reactions, prompts, digests."""

from services.contracts.base import Event


class KudosGiven(Event, tag="secpool.recognition.kudos.given", frozen=True, kw_only=True):
    kudos_id: str
    version: int
    giver_id: str
    recipient_ids: list[str]
    pool_id: str | None = None
    request_id: str | None = None
    value_id: str | None = None


RecognitionEvent = KudosGiven
