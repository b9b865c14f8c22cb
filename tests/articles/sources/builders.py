"""Files made in the tests: a news story as text and as a web page, PDFs, Word documents."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx

STORY_TITLE = "Harbour talks stall over the two crossings"
STORY_OUTLET = "The Lantern Courier"
STORY_PARAGRAPHS = (
    "Delegates from Northland told reporters on Wednesday that they would not initial any "
    "draft leaving the eastern and western crossings under shared supervision.",
    "Their chief negotiator said the question had been settled in principle last autumn and "
    "that reopening it now would undo months of work.",
    "Southport's spokesperson answered within the hour, calling the stance a retreat and "
    "saying that talk of the crossings was premature while prisoners remained unreleased.",
    "Mediators from Mediatia expect a further round before the end of the month, with "
    "monitoring arrangements first on the agenda.",
)
STORY_TEXT = "\n\n".join(STORY_PARAGRAPHS)


def story_page(*, paragraphs: tuple[str, ...] = STORY_PARAGRAPHS) -> str:
    """A news page with the clutter real pages carry around the story."""
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs[:2])
    rest = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs[2:])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{STORY_TITLE} | {STORY_OUTLET}</title>
<meta property="og:site_name" content="{STORY_OUTLET}">
<meta property="og:title" content="{STORY_TITLE}">
<meta property="article:published_time" content="2024-05-14T08:10:00+00:00">
<meta property="article:modified_time" content="2024-05-20T17:45:00+00:00">
<meta name="author" content="Ilse Marrow">
<link rel="canonical" href="https://courier.example/world/harbour-talks-stall">
<script>window.tracker = function () {{ document.title = "hijacked"; }};</script>
</head>
<body onload="tracker()">
<header class="site-header">
  <nav class="main-nav"><ul>
    <li><a href="/">Front page</a></li><li><a href="/world">World</a></li>
    <li><a href="/markets">Markets</a></li><li><a href="/opinion">Opinion</a></li>
  </ul></nav>
</header>
<aside class="advert ad-slot">Sponsored: cheap ferry tickets to every island, book today!</aside>
<main>
<article>
  <h1>{STORY_TITLE}</h1>
  <p class="byline">By Ilse Marrow</p>
  <p class="dateline"><time datetime="2024-05-14">14 May 2024</time></p>
  {body}
  <div class="ad advert"><iframe src="https://ads.example/slot"></iframe>Advertisement</div>
  <img src="x.png" onerror="alert('pwned')" alt="">
  {rest}
</article>
<section id="comments" class="comments">
  <h2>Comments</h2>
  <div class="comment"><p>Nobody in my village believes a word of these so-called talks.</p></div>
  <div class="comment"><p>Write about the fishing quotas instead, please.</p></div>
</section>
</main>
<footer class="site-footer"><p>All rights reserved by the Lantern Courier.</p>
<a href="/privacy">Privacy</a> <a href="/contact">Contact</a></footer>
<script>document.write("<p>Injected by a script at load time.</p>");</script>
</body>
</html>
"""


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def make_pdf(lines: tuple[str, ...] | list[str] = (), *, title: str = "") -> bytes:
    """A one-page PDF written by hand: each line drawn as text (none: a page without text).

    Helvetica in WinAnsi encoding, so pypdf reads the text layer back as written.
    """
    if lines:
        shown = b" ".join(_pdf_string(line) + b" '" for line in lines)
        content = b"BT /F1 10 Tf 40 760 Td 14 TL " + shown + b" ET"
    else:
        # A filled shape and nothing else: what a scan looks like to a text extractor.
        content = b"0.5 g 40 40 500 700 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    if title:
        objects.append(b"<< /Title " + _pdf_string(title) + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypt_pdf(data: bytes, *, user_password: str, owner_password: str = "owner") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(
    paragraphs: tuple[str, ...] | list[str] = STORY_PARAGRAPHS,
    *,
    headline: str = "",
    title: str = "",
    created: datetime | None = None,
    table: list[list[str]] | None = None,
) -> bytes:
    """A Word document built with python-docx."""
    document = docx.Document()
    if headline:
        document.add_paragraph(headline, style="Title")
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
    if title:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            if name.endswith("/"):
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, data)
    return out.getvalue()
