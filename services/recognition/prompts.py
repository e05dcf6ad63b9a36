"""Thanks tied to the work: intake's RequestCompleted tells recognition what was done, by whom
and whether on time; it invites the requester, once, to thank everyone who worked on it."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from services.contracts.intake import RequestCompleted
from services.contracts.recognition import ThanksPrompted
from services.contracts.recognition_api import NewKudos, PromptThanks
from services.platform import outbox
from services.platform.db import Conn
from services.platform.errors import Conflict, NotFound
from services.platform.tokens import Caller
from services.recognition import domain, kudos, records, store, store_work
from services.recognition.config import RecognitionConfig


def now() -> datetime:
    return datetime.now(UTC)


async def record_completion(conn: Conn, event: RequestCompleted, config: RecognitionConfig) -> None:
    """Remember the finished work and prompt the requester — unless this request already had a
    prompt (never repeated), nobody else worked on it, or it is too late to ask."""
    fresh = await store_work.record_completion(
        conn,
        records.FinishedRequest(
            id=event.request_id,
            pool_id=event.pool_id,
            requester_id=event.requester_id,
            completed_at=event.occurred_at,
            on_time=event.on_time,
            member_id=event.member_id,
            helper_ids=event.helper_ids,
            type_id=event.type_id,
            skill=event.skill,
            minutes_saved=event.minutes_saved,
            version=event.version,
        ),
    )
    workers = domain.prompt_recipients(event.requester_id, event.member_id, event.helper_ids)
    await store.note_members(conn, event.pool_id, [w for w in (event.member_id, *event.helper_ids) if w])
    if not fresh or not workers:
        return
    expires_at = event.occurred_at + timedelta(seconds=config.prompt_ttl_seconds)
    if expires_at <= now():
        return
    prompt_id = uuid4()
    created = await store_work.insert_prompt(
        conn,
        records.NewPrompt(
            id=prompt_id,
            request_id=event.request_id,
            pool_id=event.pool_id,
            requester_id=event.requester_id,
            recipient_ids=workers,
            expires_at=expires_at,
        ),
    )
    if created:
        await outbox.add(
            conn,
            ThanksPrompted(
                event_id=uuid4(),
                occurred_at=now(),
                prompt_id=str(prompt_id),
                version=1,
                request_id=event.request_id,
                pool_id=event.pool_id,
                requester_id=event.requester_id,
                recipient_ids=workers,
                expires_at=expires_at,
            ),
        )


async def _mine(conn: Conn, caller: Caller, prompt_id: UUID) -> records.Prompt:
    prompt = await store_work.get_prompt(conn, prompt_id, for_update=True)
    if prompt is None or prompt.requester_id != caller.account_id:
        raise NotFound("no such invitation to thank")
    return prompt


async def thank(
    conn: Conn, caller: Caller, prompt_id: UUID, body: PromptThanks, config: RecognitionConfig, zone: ZoneInfo
) -> records.Kudos:
    """The one tap: a kudos to everyone who worked on the request, tied to it."""
    prompt = await _mine(conn, caller, prompt_id)
    if prompt.status == "thanked":
        raise Conflict("you already thanked them for this request")
    if prompt.status == "dismissed":
        raise Conflict("you set this invitation aside; you can still give kudos from the wall")
    if prompt.expires_at <= now():
        raise Conflict("this invitation to thank has expired; you can still give kudos from the wall")
    message = body.message if body.message is not None else domain.SUGGESTED_THANKS[body.language]
    new = NewKudos(
        message=message,
        recipient_ids=list(prompt.recipient_ids),
        value_id=body.value_id,
        request_id=prompt.request_id,
    )
    given = await kudos.give(conn, caller, new, config, zone, prompt_id=prompt_id)
    await store_work.close_prompt(conn, prompt_id, "thanked", given.id)
    return given


async def dismiss(conn: Conn, caller: Caller, prompt_id: UUID) -> None:
    prompt = await _mine(conn, caller, prompt_id)
    if prompt.status == "open":
        await store_work.close_prompt(conn, prompt_id, "dismissed")
