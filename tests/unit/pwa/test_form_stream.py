"""A multipart form read as a stream: fields in order, a file's bytes as they come (in any
chunking), unread data skipped, and a broken body refused."""

import pytest

from pwa.files.form import FormStream
from services.platform.errors import Invalid

BOUNDARY = "----secpool7MA4YWxk"


def body(*parts: tuple[str, str | None, bytes]) -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


async def chunked(data: bytes, size: int):
    for i in range(0, len(data), size):
        yield data[i : i + size]
    yield b""


@pytest.mark.parametrize("size", [1, 7, 4096])
async def test_fields_and_files_arrive_in_order_whatever_the_chunks(size: int) -> None:
    photo = bytes(range(256)) * 50
    raw = body(
        ("_csrf_token", None, b"tok"),
        ("description", None, "Één brief".encode()),
        ("files", "IMG.jpg", photo),
        ("files", "", b""),
    )
    form = FormStream(chunked(raw, size), BOUNDARY)
    seen = []
    async for part in form:
        if part.filename is None:
            seen.append((part.name, await form.text()))
        elif part.filename:
            seen.append((part.filename, b"".join([c async for c in form.chunks()])))
        else:
            seen.append(("empty", None))
    assert seen == [("_csrf_token", "tok"), ("description", "Één brief"), ("IMG.jpg", photo), ("empty", None)]


async def test_a_part_left_unread_is_skipped() -> None:
    raw = body(("files", "a.pdf", b"%PDF" * 1000), ("note", None, b"hi"))
    form = FormStream(chunked(raw, 100), BOUNDARY)
    names = [part.name async for part in form]
    assert names == ["files", "note"]


async def test_a_body_that_breaks_off_is_refused() -> None:
    raw = body(("files", "a.pdf", b"%PDF" * 1000))[:2000]
    form = FormStream(chunked(raw, 512), BOUNDARY)
    with pytest.raises(Invalid, match="broke off"):
        async for _ in form:
            pass
