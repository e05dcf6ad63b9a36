"""Which files a request may carry, decided by their content, not their name (pure, no I/O).

`puremagic` names what the first bytes look like; the allow-list below says which of those a
pool handles (documents, pictures, text) and under which names. A program renamed to
`report.pdf` is refused for what it is; a document whose content is not what its name says is
refused too. Zip-based office files are told apart from other zip archives by their first entry.
"""

import puremagic

HEAD_BYTES = 8192  # what classify() needs to see of a file

OOXML = "application/vnd.openxmlformats-officedocument."
ALLOWED: dict[str, frozenset[str]] = {
    "application/pdf": frozenset({".pdf"}),
    "image/jpeg": frozenset({".jpg", ".jpeg", ".jfif"}),
    "image/png": frozenset({".png"}),
    "image/gif": frozenset({".gif"}),
    "image/webp": frozenset({".webp"}),
    "image/heic": frozenset({".heic"}),
    "image/heif": frozenset({".heif", ".heic"}),
    "image/tiff": frozenset({".tif", ".tiff"}),
    OOXML + "wordprocessingml.document": frozenset({".docx"}),
    OOXML + "spreadsheetml.sheet": frozenset({".xlsx"}),
    OOXML + "presentationml.presentation": frozenset({".pptx"}),
    "application/vnd.oasis.opendocument.text": frozenset({".odt"}),
    "application/vnd.oasis.opendocument.spreadsheet": frozenset({".ods"}),
    "application/vnd.oasis.opendocument.presentation": frozenset({".odp"}),
    "application/msword": frozenset({".doc"}),
    "application/vnd.ms-excel": frozenset({".xls"}),
    "application/vnd.ms-powerpoint": frozenset({".ppt"}),
    "application/vnd.ms-outlook": frozenset({".msg"}),
    "application/rtf": frozenset({".rtf"}),
    "text/plain": frozenset({".txt", ".md"}),
    "text/csv": frozenset({".csv"}),
}
ACCEPTED_NAMES = sorted({ext for exts in ALLOWED.values() for ext in exts})
PROGRAMS = ("MZ", "\x7fELF", "\xcf\xfa\xed\xfe", "\xce\xfa\xed\xfe", "\xca\xfe\xba\xbe", "#!")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE2_KINDS = (
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.ms-outlook",
)


class Refused(Exception):
    """A file the pool does not take; the message says why, for a person."""


def extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    controls = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13))
    return controls <= len(head) // 100


def _zip_kinds(head: bytes) -> list[str]:
    """Office files are zip archives whose first entries say what they are."""
    if head[30:38] == b"mimetype":
        declared = head[38:120].split(b"PK", 1)[0].decode("ascii", "replace")
        return [declared] if declared.startswith("application/vnd.oasis.opendocument.") else ["application/zip"]
    if b"[Content_Types].xml" in head:
        return [m for m in ALLOWED if m.startswith(OOXML)]
    return ["application/zip"]


def candidates(head: bytes) -> list[str]:
    """What the content could be (MIME types, most likely first)."""
    if head.startswith(tuple(p.encode("latin-1") for p in PROGRAMS)):
        return ["application/x-executable"]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kinds(head)
    if head.startswith(OLE2):
        return list(OLE2_KINDS)
    try:
        found = [m.mime_type for m in puremagic.magic_string(head) if m.mime_type]
    except puremagic.PureError:
        found = []
    if not found and _looks_like_text(head):
        found = ["text/plain", "text/csv"]
    return found or ["application/octet-stream"]


def classify(head: bytes, filename: str) -> str:
    """The MIME type the file is stored and served as; `Refused` when the pool does not take it.
    `head` is the file's first HEAD_BYTES (or all of it, if shorter)."""
    if not head:
        raise Refused(f"{filename} is empty")
    found = candidates(head)
    allowed = [m for m in found if m in ALLOWED]
    if not allowed:
        if found[0] == "application/x-executable" or "portable-executable" in found[0]:
            raise Refused(f"{filename} is a program; only documents, pictures and text are accepted")
        raise Refused(
            f"{filename} is not a document, picture or text file that is accepted ({', '.join(ACCEPTED_NAMES)})"
        )
    ext = extension(filename)
    if not ext:
        return allowed[0]
    for mime in allowed:
        if ext in ALLOWED[mime]:
            return mime
    raise Refused(f"{filename}: its content is not a {ext} file; rename it or send another file")
