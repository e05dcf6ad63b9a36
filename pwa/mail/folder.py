"""Mail without an SMTP server: each message is written to `<data dir>/mail/` as an .eml file
(the demo, the tests, a first look), and the admin page lists them from there."""

import email
import email.policy
import re
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import msgspec

NAME = re.compile(r"^\d{8}-\d{6}-\d+\.eml$")


class FolderMail(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    to: str
    subject: str
    date: str
    body: str


def write(folder: Path, message: EmailMessage, message_id: int, at: datetime) -> Path:
    """Write atomically (a reader never sees half a message)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{at:%Y%m%d-%H%M%S}-{message_id}.eml"
    partial = path.with_suffix(".part")
    partial.write_bytes(message.as_bytes(policy=email.policy.SMTP))
    partial.rename(path)
    return path


def _read(path: Path) -> FolderMail:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    part = parsed.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    return FolderMail(
        name=path.name, to=str(parsed["To"]), subject=str(parsed["Subject"]), date=str(parsed["Date"]), body=str(body)
    )


def listing(folder: Path, limit: int = 200) -> list[FolderMail]:
    """The newest messages first."""
    if not folder.is_dir():
        return []
    paths = sorted((p for p in folder.iterdir() if NAME.match(p.name)), key=lambda p: p.name, reverse=True)
    return [_read(p) for p in paths[:limit]]


def read(folder: Path, name: str) -> FolderMail | None:
    """One message by its file name (only names the folder's own pattern allows)."""
    if not NAME.match(name) or not (folder / name).is_file():
        return None
    return _read(folder / name)
