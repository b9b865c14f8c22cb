"""Opening zip containers (archives and .docx files) without unpacking a bomb."""

from __future__ import annotations

import io
import zipfile
import zlib

from articles.sources.document import SourceError

# A member that claims to expand more than this many times is treated as a bomb; real
# text and XML compress about 3 to 10 times, rarely beyond 30.
MAX_RATIO = 100
# Below this size a high ratio is harmless (a short file of repeated characters).
RATIO_FLOOR = 1_000_000


def open_zip(data: bytes, *, what: str = "archive") -> zipfile.ZipFile:
    """Open zip bytes, or raise ``SourceError`` naming ``what`` as corrupt."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise SourceError(f"This {what} is damaged or not a zip file.") from None


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_member(info: zipfile.ZipInfo) -> None:
    """Refuse a member whose declared sizes are those of a bomb."""
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise SourceError(
            f"{info.filename} expands {info.file_size // max(info.compress_size, 1)} times "
            f"its packed size, which Parley treats as a zip bomb."
        )


def check_total(infos: list[zipfile.ZipInfo], limit: int, *, what: str = "archive") -> None:
    """Refuse when the members together declare more than ``limit`` bytes unpacked."""
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise SourceError(
            f"This {what} would unpack to {megabytes(total)}, over the limit of {megabytes(limit)}."
        )


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read one member, stopping as soon as it yields more than ``limit`` bytes.

    The declared size can lie; this counts what actually comes out.
    """
    chunks, size = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(65_536):
                size += len(chunk)
                if size > limit:
                    raise SourceError(
                        f"{info.filename} unpacks to more than {megabytes(limit)}, over the limit."
                    )
                chunks.append(chunk)
    except RuntimeError:  # zipfile's "File is encrypted" / "password required"
        raise SourceError(f"{info.filename} is password-protected.") from None
    except NotImplementedError:
        raise SourceError(f"{info.filename} uses a compression Parley cannot unpack.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise SourceError(f"{info.filename} is damaged inside the zip.") from None
    return b"".join(chunks)
