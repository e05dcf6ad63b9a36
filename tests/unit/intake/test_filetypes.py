"""Files are judged by their content: what the pool takes, under which names, and what it refuses."""

import io
import zipfile

import pytest

from services.intake.filetypes import OOXML, Refused, classify


def office(first: str, *more: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in (first, *more):
            z.writestr(name, "<x/>")
    return buffer.getvalue()


def odf(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", "<x/>")
    return buffer.getvalue()


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj\n" * 8
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("head", "name", "kind"),
    [
        (JPEG, "IMG_0001.JPG", "image/jpeg"),
        (JPEG, "image", "image/jpeg"),  # a camera photo without an extension
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "scan.png", "image/png"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16, "IMG_1.HEIC", "image/heif"),
        (PDF, "Notulen.pdf", "application/pdf"),
        (office("[Content_Types].xml", "word/document.xml"), "brief.docx", OOXML + "wordprocessingml.document"),
        (office("[Content_Types].xml", "xl/workbook.xml"), "begroting.xlsx", OOXML + "spreadsheetml.sheet"),
        (odf("text"), "verslag.odt", "application/vnd.oasis.opendocument.text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "oud.doc", "application/msword"),
        ("Naam;Bedrag\nJan;12,50\nÉén;3\n".encode(), "declaraties.csv", "text/csv"),
        (b"Agenda MT\n1. Opening\n", "agenda.txt", "text/plain"),
    ],
)
def test_documents_pictures_and_text_are_taken_as_what_their_bytes_say(head: bytes, name: str, kind: str) -> None:
    assert classify(head, name) == kind


@pytest.mark.parametrize(
    ("head", "name", "why"),
    [
        (EXE, "factuur.pdf", "is a program"),
        (EXE, "setup.exe", "is a program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 32, "notes.txt", "is a program"),
        (b"#!/bin/sh\nrm -rf /\n", "run.txt", "is a program"),
        (office("payload.exe"), "archive.docx", "not a document, picture or text"),
        (JPEG, "report.pdf", "its content is not a .pdf file"),
        (b"just words", "page.html", "its content is not a .html file"),
        (b"", "empty.pdf", "is empty"),
    ],
)
def test_programs_archives_and_mislabelled_files_are_refused_with_the_reason(head: bytes, name: str, why: str) -> None:
    with pytest.raises(Refused, match=why):
        classify(head, name)
