"""Events published by recognition: kudos given, reacted to, reported and hidden; thank-you
prompts; team digests. No free text travels (messages, reasons): consumers ask the API.
"""

from datetime import datetime

from services.contracts.base import Event


class KudosGiven(Event, tag="secpool.recognition.kudos.given", frozen=True, kw_only=True):
    kudos_id: str
    version: int
    giver_id: str
    recipient_ids: list[str]
    pool_id: str | None = None
    request_id: str | None = None
    value_id: str | None = None
    prompt_id: str | None = None
    # Pools the kudos touches (the addressed pool, the recipients' and the giver's): for SSE on pool walls.
    pool_ids: list[str] = []  # noqa: RUF012 (msgspec copies mutable defaults)


class KudosReacted(Event, tag="secpool.recognition.kudos.reacted", frozen=True, kw_only=True):
    """A reaction set, changed, or taken back (`withdrawn`, then `emoji` is the one removed)."""

    kudos_id: str
    version: int
    account_id: str
    emoji: str
    withdrawn: bool = False
    giver_id: str = ""


class KudosReported(Event, tag="secpool.recognition.kudos.reported", frozen=True, kw_only=True):
    """Someone asked the moderators to look at a kudos (leads and admins may be told)."""

    kudos_id: str
    version: int
    report_id: str


class KudosHidden(Event, tag="secpool.recognition.kudos.hidden", frozen=True, kw_only=True):
    """A lead or admin took a kudos off the wall; the giver is told (the reason is in the API)."""

    kudos_id: str
    version: int
    giver_id: str
    hidden_by: str
    recipient_ids: list[str] = []  # noqa: RUF012


class ThanksPrompted(Event, tag="secpool.recognition.prompt.created", frozen=True, kw_only=True):
    """A request is done: its requester is invited to thank the people who worked on it."""

    prompt_id: str
    version: int
    request_id: str
    pool_id: str
    requester_id: str
    recipient_ids: list[str]
    expires_at: datetime


class DigestPublished(Event, tag="secpool.recognition.digest.published", frozen=True, kw_only=True):
    """A pool's team-level digest for one period; figures only, never per person."""

    digest_id: str
    version: int
    pool_id: str
    period_start: datetime
    period_end: datetime
    requests_handled: int
    minutes_saved: int
    on_time_share: float | None
    kudos_given: int
    kudos_received: int
    highlight_kudos_ids: list[str] = []  # noqa: RUF012
    requests_on_time: int = 0


RecognitionEvent = KudosGiven | KudosReacted | KudosReported | KudosHidden | ThanksPrompted | DigestPublished


class ApiKeyUsed(Event, tag="secpool.recognition.api_key.used", frozen=True, kw_only=True):
    """An integration's API key was used on recognition (said at most once a minute per key), so the
    pwa's list of keys shows when each was last used. `occurred_at` is the use."""

    key_id: str
