"""Recognition's answers: how its records become the HTTP shapes of services/contracts/recognition_api.py.
No answer counts kudos per person or orders people: that is the product's rule.
"""

from services.contracts.recognition_api import (
    DigestView,
    HiddenNote,
    KudosView,
    PromptView,
    ReactionTally,
    ReportView,
    RequestRef,
    ValueView,
)
from services.recognition import records
from services.recognition.domain import REACTIONS, SUGGESTED_THANKS


def request_ref(r: records.FinishedRequest) -> RequestRef:
    return RequestRef(id=r.id, pool_id=r.pool_id, type_id=r.type_id, completed_at=r.completed_at)


def kudos_view(
    k: records.Kudos,
    *,
    tallies: dict[str, int] | None = None,
    mine: str | None = None,
    request: records.FinishedRequest | None = None,
    show_hidden: bool = False,
) -> KudosView:
    tallies = tallies or {}
    hidden = None
    if show_hidden and k.hidden_at is not None:
        hidden = HiddenNote(at=k.hidden_at, by=k.hidden_by, reason=k.hidden_why)
    return KudosView(
        id=k.id,
        giver_id=k.giver_id,
        recipient_ids=list(k.recipient_ids),
        pool_id=k.pool_id,
        message=k.message,
        value_id=k.value_id,
        request_id=k.request_id,
        request=request_ref(request) if request is not None else None,
        created_at=k.created_at,
        reactions=[ReactionTally(emoji=e, count=tallies.get(e, 0)) for e in REACTIONS],
        my_reaction=mine,
        version=k.version,
        hidden=hidden,
    )


def value_view(v: records.Value) -> ValueView:
    return ValueView(id=v.id, name={"nl": v.name_nl, "en": v.name_en}, retired=v.retired_at is not None)


def prompt_view(p: records.OpenPrompt) -> PromptView:
    return PromptView(
        id=p.id,
        request_id=p.request_id,
        pool_id=p.pool_id,
        type_id=p.type_id or "",
        recipient_ids=list(p.recipient_ids),
        suggested_message=SUGGESTED_THANKS,
        created_at=p.created_at,
        expires_at=p.expires_at,
    )


def digest_view(d: records.Digest, highlights: list[KudosView]) -> DigestView:
    return DigestView(
        id=d.id,
        pool_id=d.pool_id,
        period_start=d.period_start,
        period_end=d.period_end,
        published_at=d.published_at,
        requests_handled=d.requests_handled,
        minutes_saved=d.minutes_saved,
        requests_on_time=d.requests_on_time,
        on_time_share=d.on_time_share,
        kudos_given=d.kudos_given,
        kudos_received=d.kudos_received,
        highlights=highlights,
    )


def report_view(r: records.Report) -> ReportView:
    return ReportView(id=r.id, kudos_id=r.kudos_id, reason=r.reason, at=r.at)
