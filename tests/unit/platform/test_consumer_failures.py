"""The consumer's split, with a fake database and fake JetStream messages: a dependency being
down never leads to a dead letter, however long it lasts; the event's own failures do, after
`max_deliver`; and an event is terminated only once its dead letter is written."""

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import msgspec

from services.contracts.recognition import KudosGiven, RecognitionEvent
from services.platform.inbox import Consumer

SUBJECT = "secpool.recognition.kudos.given"


class FakeConn:
    def __init__(self, database: "FakeDatabase") -> None:
        self._db = database
        self._written: list[tuple[Any, ...]] = []

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        try:
            yield
        except BaseException:
            self._db.inbox.difference_update(self._written)  # rolled back
            raise

    async def fetchval(self, sql: str, *args: Any) -> Any:
        key = tuple(args)
        if key in self._db.inbox:
            return None
        self._db.inbox.add(key)
        self._written.append(key)
        return True

    async def execute(self, sql: str, *args: Any) -> str:
        if "dead_letters" in sql:
            if self._db.dead_letters_fail:
                raise ConnectionRefusedError(111, "Connection refused")
            self._db.dead_letters.append(args)
        return "INSERT 0 1"


class FakeDatabase:
    """Up or down; remembers inbox rows and dead letters."""

    def __init__(self) -> None:
        self.down = False
        self.dead_letters_fail = False
        self.inbox: set[tuple[Any, ...]] = set()
        self.dead_letters: list[tuple[Any, ...]] = []

    @contextlib.asynccontextmanager
    async def acquire(self) -> AsyncIterator[FakeConn]:
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")
        yield FakeConn(self)


class Metadata(msgspec.Struct):
    sequence: Any
    num_delivered: int
    num_pending: int = 0


class Sequence(msgspec.Struct):
    stream: int


class FakeMsg:
    """A delivery; records what the consumer answered."""

    def __init__(self, data: bytes, delivery: int = 1, sequence: int = 1) -> None:
        self.data = data
        self.subject = SUBJECT
        self.metadata = Metadata(sequence=Sequence(stream=sequence), num_delivered=delivery)
        self.answers: list[str] = []

    async def ack(self) -> None:
        self.answers.append("ack")

    async def nak(self, delay: float | None = None) -> None:
        self.answers.append("nak")

    async def term(self) -> None:
        self.answers.append("term")

    async def in_progress(self) -> None:
        self.answers.append("progress")


def kudos(kudos_id: str = "k1") -> bytes:
    return msgspec.json.encode(
        KudosGiven(
            event_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            kudos_id=kudos_id,
            version=1,
            giver_id="g",
            recipient_ids=["r"],
        )
    )


async def effect(conn: Any, event: KudosGiven) -> None:
    if event.kudos_id == "poison":
        raise ValueError("this event always fails")


def consumer(db: FakeDatabase, max_deliver: int = 3) -> Consumer[Any]:
    return Consumer(
        name="c",
        stream="RECOGNITION",
        subjects=[SUBJECT],
        event_type=RecognitionEvent,
        handler=effect,
        pool=db,
        js=None,
        max_deliver=max_deliver,  # type: ignore[arg-type]
    )


async def test_a_database_that_stays_down_never_dead_letters_an_event():
    db = FakeDatabase()
    db.down = True
    c = consumer(db, max_deliver=3)
    data = kudos()
    for delivery in range(1, 51):
        msg = FakeMsg(data, delivery)
        assert await c.process(msg) is False
        assert msg.answers == ["nak"]
    db.down = False
    msg = FakeMsg(data, 51)
    assert await c.process(msg) is True
    assert msg.answers == ["ack"] and db.dead_letters == []


async def test_an_event_that_keeps_failing_is_dead_lettered_after_max_deliver_of_its_own_failures():
    db = FakeDatabase()
    c = consumer(db, max_deliver=3)
    data = kudos("poison")
    answers = []
    for delivery in range(1, 4):
        msg = FakeMsg(data, delivery)
        await c.process(msg)
        answers.append(msg.answers)
    assert answers == [["nak"], ["nak"], ["term"]]
    assert len(db.dead_letters) == 1 and "always fails" in db.dead_letters[0][4]


async def test_outages_between_an_events_own_failures_do_not_count():
    db = FakeDatabase()
    c = consumer(db, max_deliver=2)
    data = kudos("poison")
    first = FakeMsg(data, 1)
    await c.process(first)
    db.down = True
    for delivery in range(2, 12):
        await c.process(FakeMsg(data, delivery))
    db.down = False
    last = FakeMsg(data, 12)
    await c.process(last)
    assert first.answers == ["nak"] and last.answers == ["term"] and len(db.dead_letters) == 1


async def test_an_undecodable_event_whose_dead_letter_cannot_be_written_is_kept_not_terminated():
    db = FakeDatabase()
    db.dead_letters_fail = True
    c = consumer(db)
    msg = FakeMsg(b'{"type": "secpool.recognition.kudos.given", "kudos_id": 12}')
    assert await c.process(msg) is False
    assert msg.answers == ["nak"]
    db.dead_letters_fail = False
    again = FakeMsg(msg.data, 2)
    assert await c.process(again) is True
    assert again.answers == ["term"] and len(db.dead_letters) == 1


async def test_a_handled_event_is_acked_once_and_its_redelivery_has_no_effect():
    db = FakeDatabase()
    c = consumer(db)
    data = kudos()
    first, second = FakeMsg(data, 1), FakeMsg(data, 2)
    assert await c.process(first) and await c.process(second)
    assert first.answers == ["ack"] and second.answers == ["ack"] and len(db.inbox) == 1
