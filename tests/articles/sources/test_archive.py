"""A zip of articles: one result per file, bad files reported in place, bombs refused."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from articles.sources import Document, SourceError, read_zip
from tests.articles.sources.builders import (
    STORY_PARAGRAPHS,
    STORY_TEXT,
    make_docx,
    make_pdf,
    make_zip,
    story_page,
)


def _outcomes(results: list[tuple[str, Document | SourceError]]) -> dict[str, str]:
    return {
        name: (f"error: {result}" if isinstance(result, SourceError) else result.source_format)
        for name, result in results
    }


def test_reads_every_format_in_archive_order() -> None:
    data = make_zip(
        {
            "batch/one.txt": STORY_TEXT.encode(),
            "batch/two.md": STORY_TEXT.encode(),
            "batch/three.html": story_page().encode(),
            "batch/four.pdf": make_pdf(STORY_PARAGRAPHS),
            "batch/five.docx": make_docx(),
        }
    )

    results = read_zip(data)

    assert _outcomes(results) == {
        "batch/one.txt": "text",
        "batch/two.md": "markdown",
        "batch/three.html": "html",
        "batch/four.pdf": "pdf",
        "batch/five.docx": "docx",
    }
    assert all(
        result.body.split() == STORY_TEXT.split() for _, result in results if isinstance(result, Document)
    )


def test_skips_folders_hidden_files_and_mac_clutter() -> None:
    data = make_zip(
        {
            "batch/": b"",
            "batch/story.txt": b"The one real article.",
            "__MACOSX/batch/._story.txt": b"\x00\x05\x16\x07",
            "batch/.DS_Store": b"\x00\x00\x00\x01Bud1",
            ".hidden/notes.txt": b"Not for reading.",
        }
    )

    assert _outcomes(read_zip(data)) == {"batch/story.txt": "text"}


def test_reports_a_bad_member_and_reads_the_others() -> None:
    data = make_zip(
        {
            "good.txt": b"The delegates went home.",
            "broken.pdf": b"%PDF-1.4 then nothing useful",
            "program.exe": b"MZ\x90\x00",
        }
    )

    outcomes = _outcomes(read_zip(data))

    assert outcomes["good.txt"] == "text"
    assert outcomes["broken.pdf"] == "error: This PDF is damaged and cannot be read; export it again."
    assert outcomes["program.exe"].startswith("error: Parley cannot read .exe files")


def test_refuses_a_bomb_like_member_and_reads_the_others() -> None:
    data = make_zip({"good.txt": b"The delegates went home.", "bomb.txt": b"\0" * 5_000_000})

    outcomes = _outcomes(read_zip(data))

    assert outcomes["good.txt"] == "text"
    assert outcomes["bomb.txt"].startswith("error: bomb.txt expands")
    assert outcomes["bomb.txt"].endswith("which Parley treats as a zip bomb.")


def test_refuses_an_archive_declaring_more_than_the_total_limit() -> None:
    data = make_zip({"a.txt": b"word " * 1000, "b.txt": b"word " * 1000})

    with pytest.raises(SourceError, match=r"would unpack to 0\.0 MB, over the limit of 0\.0 MB"):
        read_zip(data, max_total_bytes=6000)


def test_catches_a_member_that_lies_about_its_size() -> None:
    data = bytearray(make_zip({"liar.txt": b"quiet words " * 100_000}))
    # Shrink the declared size in both headers; the stream still inflates to 1.2 MB.
    struct.pack_into("<I", data, 22, 100)
    struct.pack_into("<I", data, data.rfind(b"PK\x01\x02") + 24, 100)

    [(name, result)] = read_zip(bytes(data))

    assert name == "liar.txt"
    assert str(result) == "liar.txt is damaged inside the zip."


def test_refuses_too_many_files() -> None:
    data = make_zip({f"story-{n}.txt": b"A few words." for n in range(3)})

    with pytest.raises(SourceError, match="The archive holds 3 files; the limit is 2 per upload"):
        read_zip(data, max_files=2)


@pytest.mark.parametrize("name", ["../../escape.txt", "/etc/absolute.txt", "C:\\drive.txt"])
def test_refuses_members_whose_names_leave_the_archive(name: str) -> None:
    data = make_zip({name: b"Crafted words.", "fine.txt": b"Honest words."})

    outcomes = _outcomes(read_zip(data))

    assert outcomes[name] == f"error: {name} has a path that points outside the archive."
    assert outcomes["fine.txt"] == "text"


def test_writes_nothing_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    data = make_zip({"../../escape.txt": b"Crafted.", "story.txt": b"Honest words."})

    read_zip(data)

    assert sorted(os.listdir(tmp_path)) == ["a"]
    assert os.listdir(workdir) == []


def test_reports_a_password_protected_member() -> None:
    data = bytearray(make_zip({"locked.txt": b"Secret words."}))
    # Set the "encrypted" flag in the local and central headers.
    struct.pack_into("<H", data, 6, struct.unpack_from("<H", data, 6)[0] | 1)
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 8, struct.unpack_from("<H", data, central + 8)[0] | 1)

    assert _outcomes(read_zip(bytes(data))) == {"locked.txt": "error: locked.txt is password-protected."}


def test_does_not_open_an_archive_inside_an_archive() -> None:
    inner = make_zip({"story.txt": b"Nested words."})

    outcomes = _outcomes(read_zip(make_zip({"inner.zip": inner})))

    assert outcomes["inner.zip"].startswith("error: Parley cannot read .zip files")


def test_refuses_a_corrupt_archive() -> None:
    with pytest.raises(SourceError, match="This archive is damaged or not a zip file"):
        read_zip(b"PK\x03\x04 this is not really a zip")


def test_refuses_an_archive_with_nothing_to_read() -> None:
    with pytest.raises(SourceError, match="The archive holds no files to read"):
        read_zip(make_zip({"empty/": b"", "__MACOSX/._x": b"\0"}))
