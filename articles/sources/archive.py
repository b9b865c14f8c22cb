"""A .zip of many articles, read as one batch: one result per file inside."""

from __future__ import annotations

import re
import stat
import zipfile

from articles.sources.dispatch import read_upload
from articles.sources.document import Document, SourceError
from articles.sources.ziplimits import check_member, check_total, megabytes, open_zip, read_member

_DRIVE = re.compile(r"^[A-Za-z]:")


def _skipped(info: zipfile.ZipInfo) -> bool:
    """Folders and the clutter archivers add (``__MACOSX/``, ``.DS_Store``, dot files)."""
    if info.is_dir():
        return True
    parts = [part for part in info.filename.replace("\\", "/").split("/") if part]
    return any(part == "__MACOSX" or (part.startswith(".") and part not in (".", "..")) for part in parts)


def _unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters and ``..`` steps: names meant to escape a folder.

    Nothing here writes names to disk, but such an entry is a crafted archive, and its
    editor should hear so rather than see it quietly read.
    """
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(_DRIVE.match(path)) or ".." in path.split("/")


def _special(info: zipfile.ZipInfo) -> str | None:
    """Why an entry is not a file to read: a symbolic link, a device, a pipe (Unix modes)."""
    mode = info.external_attr >> 16
    if info.create_system != 3 or not stat.S_IFMT(mode):  # not from Unix, or no file type
        return None
    if stat.S_ISLNK(mode):
        return f"{info.filename} is a symbolic link; skipped."
    if not stat.S_ISREG(mode):
        return f"{info.filename} is not a regular file; skipped."
    return None


def _entries(archive: zipfile.ZipFile, max_files: int, max_total_bytes: int) -> list[zipfile.ZipInfo]:
    """The archive's files to read, once their number and declared sizes are within limits."""
    try:
        infos = [info for info in archive.infolist() if not _skipped(info)]
    except (zipfile.BadZipFile, ValueError):
        raise SourceError("This archive is damaged or not a zip file.") from None
    if not infos:
        raise SourceError("The archive holds no files to read.")
    if len(infos) > max_files:
        raise SourceError(f"The archive holds {len(infos)} files; the limit is {max_files} per upload.")
    check_total(infos, max_total_bytes)
    return infos


def check_zip(data: bytes, *, max_files: int = 200, max_total_bytes: int = 50_000_000) -> None:
    """Check an archive's structure without unpacking anything: a zip, with files, within
    the limits on their number and declared size. The members are read later, by a worker.

    Raises:
        SourceError: as ``read_zip`` does for the archive as a whole.
    """
    with open_zip(data) as archive:
        _entries(archive, max_files, max_total_bytes)


def _over_single_limit(name: str, limit: int) -> SourceError:
    return SourceError(f"{name} is larger than the single-file limit of {megabytes(limit)}.")


def read_zip(
    data: bytes, *, max_files: int = 200, max_total_bytes: int = 50_000_000,
    max_member_bytes: int = 10_000_000,
) -> list[tuple[str, Document | SourceError]]:
    """Read every article in a zip archive.

    Each file is read by its extension as an upload would be; one bad file is reported in
    its place and does not stop the others. Member names are returned for display only.

    Args:
        data: the archive's bytes.
        max_files: the most files the archive may hold (folders and clutter not counted).
        max_total_bytes: the most the files may unpack to, declared and actual.
        max_member_bytes: the most one file may unpack to (the single-file upload limit).

    Raises:
        SourceError: the archive is damaged, holds no files, too many, or unpacks too large.
    """
    with open_zip(data) as archive:
        infos = _entries(archive, max_files, max_total_bytes)
        results: list[tuple[str, Document | SourceError]] = []
        budget = max_total_bytes
        for info in infos:
            name = info.filename
            try:
                if _unsafe_name(name):
                    raise SourceError(f"{name} has a path that points outside the archive.")
                if special := _special(info):
                    raise SourceError(special)
                check_member(info)
                if info.file_size > max_member_bytes:
                    raise _over_single_limit(name, max_member_bytes)
                # The declared size can lie: what comes out is counted against both limits.
                content = read_member(archive, info, min(budget, max_member_bytes))
                budget -= len(content)
                results.append((name, read_upload(name, content)))
            except SourceError as error:
                results.append((name, error))
    return results


def nothing_readable(failures: list[dict[str, str]], *, shown: int = 20) -> str:
    """The message for an archive none of whose files could be read: each file's reason."""
    lines = [f"{item['name']}: {item['reason']}" for item in failures[:shown]]
    if len(failures) > shown:
        lines.append(f"… and {len(failures) - shown} more.")
    return "No file in the archive could be read. " + " ".join(lines)
