"""The one object-store API for files (attachments): the data folder by default, S3-compatible
storage beyond one machine (obstore). Bytes stream both ways in chunks; nothing here holds a
whole file in memory.

| variable              | meaning                                                            |
|-----------------------|--------------------------------------------------------------------|
| SECPOOL_OBJECTS_URL   | where files live: `file:///abs/folder` (default: `<data dir>/objects`) |
|                       | or `s3://bucket/prefix` (credentials and endpoint: the standard    |
|                       | `AWS_*` variables, e.g. AWS_ENDPOINT for MinIO or Ceph)            |
"""

import contextlib
import os
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import msgspec
import obstore
from obstore.store import LocalStore, from_url

from services.platform.settings import ConfigError

CHUNK = 64 * 1024


class ObjectsConfig(msgspec.Struct, frozen=True, kw_only=True):
    url: str

    @classmethod
    def from_env(cls, data_dir: str, env: Mapping[str, str] | None = None) -> "ObjectsConfig":
        env = os.environ if env is None else env
        default = (Path(data_dir).resolve() / "objects").as_uri()
        url = env.get("SECPOOL_OBJECTS_URL", "").strip() or default
        if not url.startswith(("file:///", "s3://")):
            raise ConfigError(f"SECPOOL_OBJECTS_URL: use file:///folder or s3://bucket/prefix, not '{url}'")
        return cls(url=url)


class ObjectTooLarge(Exception):
    """The stream went past the limit given to `Objects.put`; nothing was stored."""


class Objects:
    """Put, read, copy and delete objects by key (`attachments/<uuid>`)."""

    def __init__(self, config: ObjectsConfig) -> None:
        self._store: Any
        if config.url.startswith("file://"):
            folder = Path(config.url.removeprefix("file://"))
            folder.mkdir(parents=True, exist_ok=True)
            self._store = LocalStore(prefix=folder, automatic_cleanup=True)
        else:
            self._store = from_url(config.url)

    async def put(self, key: str, chunks: AsyncIterable[bytes], *, limit: int) -> int:
        """Store the stream under `key` and return its size. Past `limit` bytes the upload is
        abandoned (ObjectTooLarge) and nothing is stored: obstore writes a complete object or
        none."""
        size = 0

        async def counted() -> AsyncIterator[bytes]:
            nonlocal size
            async for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ObjectTooLarge(f"more than {limit} bytes")
                if chunk:
                    yield chunk

        await obstore.put_async(self._store, key, counted(), chunk_size=5 * 1024 * 1024, max_concurrency=2)
        return size

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The object's bytes in chunks; FileNotFoundError (now, not while streaming) when
        there is no such object."""
        result = await obstore.get_async(self._store, key)

        async def chunks() -> AsyncIterator[bytes]:
            async for chunk in result.stream(min_chunk_size=CHUNK):
                yield bytes(chunk)

        return chunks()

    async def copy(self, source: str, target: str) -> None:
        await obstore.copy_async(self._store, source, target)

    async def exists(self, key: str) -> bool:
        try:
            await obstore.head_async(self._store, key)
        except FileNotFoundError:
            return False
        return True

    async def delete(self, key: str) -> None:
        """Delete; a missing object is already deleted."""
        with contextlib.suppress(FileNotFoundError):
            await obstore.delete_async(self._store, key)
