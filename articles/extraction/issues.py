"""Issues a statement bears on, from each issue's keywords."""

from __future__ import annotations

import re
from functools import lru_cache

from articles.extraction.types import IssueRef, Reference


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    escaped = re.escape(keyword.lower()).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
    # Allow a plural or simple inflection on the last word ("hostage" finds "hostages").
    return re.compile(rf"(?<![\w]){escaped}(?:s|es|ed|d|ing)?(?![\w])")


class IssueIndex:
    def __init__(self, reference: Reference) -> None:
        self.issues = reference.issues
        self.patterns: list[tuple[IssueRef, list[re.Pattern[str]]]] = [
            (issue, [_keyword_pattern(keyword) for keyword in issue.keywords])
            for issue in reference.issues
        ]

    def find(self, text: str) -> list[str]:
        """Issue keys whose keywords occur in text; a sub-issue replaces its parent."""
        lowered = text.lower()
        keys = [issue.key for issue, patterns in self.patterns
                if any(pattern.search(lowered) for pattern in patterns)]
        parents = {key.rpartition("/")[0] for key in keys if "/" in key}
        return [key for key in keys if key not in parents]


@lru_cache(maxsize=16)
def issue_index(reference: Reference) -> IssueIndex:
    return IssueIndex(reference)
