"""`secpool people import` on a real database: a file with bad lines is refused whole with their
line numbers; a good file imports everyone with an invite and an AccountCreated; the same file
again changes nothing; thousands of rows take seconds."""

import time
from pathlib import Path

from pwa.people import changes, store
from pwa.records import Pool
from services.cli import admin
from tests.integration.people.conftest import URL, Org
from tests.support import eventually

HEADER = "email,name,roles,pools,language\n"


async def with_pool(org: Org) -> None:
    async with org.db() as conn, conn.transaction():
        pool = Pool(id="secretariaat", name_nl="Secretariaat", name_en="Secretariat", public_holidays="NL", version=0)
        await changes.save_pool(conn, pool, actor=None)


async def counts(org: Org) -> tuple[int, int, int]:
    async with org.db() as conn:
        return (
            await conn.fetchval("SELECT count(*) FROM accounts"),
            await conn.fetchval("SELECT count(*) FROM outbox WHERE subject LIKE 'secpool.identity.account.%'"),
            await conn.fetchval("SELECT count(*) FROM mail_queue"),
        )


async def run(org: Org, text: str, *, dry_run: bool = False) -> tuple[int, list[str]]:
    said: list[str] = []
    code = await admin.import_people(org.database_url, URL, Path("people.csv"), text, dry_run=dry_run, say=said.append)
    return code, said


async def test_a_file_with_bad_lines_is_refused_whole_with_their_line_numbers(org: Org):
    await with_pool(org)
    text = (
        HEADER
        + "anna@example.org,Anna,staff,,nl\n"
        + "bram@,Bram,staff,,nl\n"
        + "carla@example.org,Carla,chef,Secretariaat,nl\n"
    )
    code, said = await run(org, text)
    assert code == 1
    assert any(line.startswith("people.csv:3:") for line in said) and any(
        line.startswith("people.csv:4:") for line in said
    )
    assert not any(":2:" in line for line in said)
    assert await counts(org) == (0, 0, 0)


async def test_the_same_good_file_twice_changes_nothing_the_second_time(org: Org):
    await with_pool(org)
    text = HEADER + "".join(
        f"person{i}@example.org,Person {i},{'secretary' if i < 5 else 'staff'},Secretariaat,nl\n" for i in range(30)
    )
    code, said = await run(org, text, dry_run=True)
    assert code == 0 and "30 new" in said[-1] and await counts(org) == (0, 0, 0)
    code, said = await run(org, text)
    assert code == 0 and "30 new, 0 changed, 0 unchanged" in said[-1]
    assert await counts(org) == (30, 30, 30)
    code, said = await run(org, text)
    assert code == 0 and "0 new, 0 changed, 30 unchanged" in said[-1]
    assert await counts(org) == (30, 30, 30)
    renamed = text.replace("Person 7,", "Person Seven,")
    code, said = await run(org, renamed)
    assert "0 new, 1 changed, 29 unchanged" in said[-1] and await counts(org) == (30, 31, 30)
    async with org.db() as conn:
        seven = await store.by_email(conn, "person7@example.org")
    assert seven is not None and seven.name == "Person Seven" and seven.version == 2
    await org.mail_to("person29@example.org")  # the invites go out


async def test_five_thousand_people_import_in_seconds_with_progress(org: Org):
    await with_pool(org)
    text = HEADER + "".join(f"p{i}@example.org,Person {i},staff,,en\n" for i in range(5000))
    started = time.monotonic()
    code, said = await run(org, text)
    took = time.monotonic() - started
    # A bound, not a benchmark: generous enough for a loaded 2-core machine.
    assert code == 0 and took < 60, took
    assert [line for line in said if "/5000 imported" in line][-1].strip() == "5000/5000 imported"
    assert (await counts(org))[0] == 5000

    async def sent() -> int:
        async with org.db() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM mail_queue WHERE status = 'sent'"))

    await eventually(sent, lambda n: n > 0, within=10)
