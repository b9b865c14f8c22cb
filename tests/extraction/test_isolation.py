"""Extraction is plain Python: importing it loads no Django; the command keeps its contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_extraction_loads_no_django():
    code = ("import sys, articles.extraction, articles.extraction.extractor; "
            "print(sorted(m for m in sys.modules if m.split('.')[0].startswith('django')))")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip()
    assert out == "[]"


def test_extract_command_prints_one_json_object_per_draft(tmp_path):
    article = tmp_path / "a.txt"
    body = "Hamas said on Tuesday it rejected the truce proposal put forward by the mediators."
    article.write_text(f"---\npublished: 2024-03-14\n---\n{body}\n", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    out = subprocess.run([sys.executable, "manage.py", "extract", "--format", "jsonl", str(article)],
                         cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    [line] = out.splitlines()
    record = json.loads(line)
    assert set(record) >= {"file", "speaker", "actor", "issues", "stance", "summary", "evidence",
                           "spans", "quote_type", "date", "date_basis", "via", "conditions",
                           "confidence"}
    assert record["actor"] == "Hamas" and record["stance"] == "reject"
    assert record["date"] == "2024-03-12"
    start, end = record["spans"][0]
    assert body[start:end] == record["evidence"][0]
