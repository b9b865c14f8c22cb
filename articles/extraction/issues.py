"""Issues a statement bears on, from each issue's keywords.

Keywords and text are both reduced to crude word stems with function words dropped, so a
keyword "end the war" also finds "ending the war", "an end to this war" and "end of the war",
and "hostage" finds "hostages". Generic deal nouns ("deal", "agreement", "proposal") are weak
keywords: they name an issue only when no other keyword does (a keyword that itself names a
deal, "reach an agreement", does not stop them), because "accepted the deal" is about the
negotiation's main object while "the deal on the hostages" is about hostages.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from articles.extraction.lexicon import words
from articles.extraction.types import IssueRef, Reference

_FUNCTION_WORDS = words("""
the a an of to its their his her this that these those any all our my your for in on
""")
WEAK_KEYWORDS = words("""
deal deals agreement agreements proposal proposals framework plan plans offer offers
arrangement arrangements understanding accord accords text terms bid initiative roadmap
counterproposal counterproposals counteroffer counteroffers counter-proposal
""")
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
# Words that can sit between two words of a keyword ("war would not end" for "war end").
_MAX_GAP = 2


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]  # stopp(ing) -> stop
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # releas(e) and releas(ed) meet
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _FUNCTION_WORDS]


class IssueIndex:
    def __init__(self, reference: Reference) -> None:
        self.issues: tuple[IssueRef, ...] = reference.issues
        self.keys = [issue.key for issue in reference.issues]
        self.strong: list[tuple[str, tuple[str, ...]]] = []
        self.weak: list[tuple[str, tuple[str, ...]]] = []
        self.deal_phrases: set[tuple[str, ...]] = set()
        for issue in reference.issues:
            for keyword in issue.keywords:
                sequence = tuple(stems(keyword))
                if not sequence:
                    continue
                weak = all(word.lower() in WEAK_KEYWORDS for word in keyword.split())
                (self.weak if weak else self.strong).append((issue.key, sequence))
                if not weak and any(word.lower() in WEAK_KEYWORDS for word in keyword.split()):
                    # "reach an agreement" names the process, and still the deal itself.
                    self.deal_phrases.add(sequence)

    @staticmethod
    def _count(sequence: tuple[str, ...], words: list[str], starts: dict[str, list[int]]) -> int:
        """How many times the keyword occurs, with at most two other words between one of
        its words and the next."""
        count = 0
        for start in starts.get(sequence[0], ()):
            position = start
            for part in sequence[1:]:
                window = words[position + 1: position + 2 + _MAX_GAP]
                if part not in window:
                    break
                position = position + 1 + window.index(part)
            else:
                count += 1
        return count

    @staticmethod
    def _starts(words: list[str]) -> dict[str, list[int]]:
        starts: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            starts.setdefault(word, []).append(position)
        return starts

    def hits(self, text: str) -> Counter[str]:
        words = stems(text)
        starts = self._starts(words)
        found: Counter[str] = Counter()
        blocking = False
        for key, sequence in self.strong:
            if sequence[0] in starts and self._count(sequence, words, starts):
                found[key] += 1
                blocking = blocking or sequence not in self.deal_phrases
        if not blocking:
            for key, sequence in self.weak:
                if sequence[0] in starts and self._count(sequence, words, starts):
                    found[key] += 1
        return found

    def find(self, text: str) -> list[str]:
        """Issue keys whose keywords occur in text, in reference order; a sub-issue replaces
        its parent."""
        found = self.hits(text)
        keys = [key for key in self.keys if key in found]
        subs = [key for key in keys if "/" in key]
        if len({key.rpartition("/")[0] for key in subs}) == len(subs) or not subs:
            parents = {key.rpartition("/")[0] for key in subs}
            return [key for key in keys if key not in parents]
        # Two sub-issues of one parent: keep the one with more evidence, else the parent.
        best = max(subs, key=lambda key: found[key])
        ties = [key for key in subs if found[key] == found[best]]
        keep = {best} if len(ties) == 1 else set()
        return [key for key in keys if "/" not in key or key in keep]

    def _subissue_counts(self, text: str) -> Counter[str]:
        """How many times each sub-issue's keywords occur in the text."""
        words = stems(text)
        starts = self._starts(words)
        counts: Counter[str] = Counter()
        for key, sequence in self.strong:
            if "/" in key and sequence[0] in starts:
                counts[key] += self._count(sequence, words, starts)
        return counts

    def leaning(self, text: str) -> dict[str, str]:
        """For each parent issue, the sub-issue a passage names more than its rivals."""
        counts = self._subissue_counts(text)
        best: dict[str, str] = {}
        for key, count in counts.most_common():
            parent = key.rpartition("/")[0]
            if count and parent not in best:
                rivals = [c for k, c in counts.items() if k != key and k.startswith(parent + "/")]
                best[parent] = key if all(count > rival for rival in rivals) else ""
        return {parent: key for parent, key in best.items() if key}

    def default_subissues(self, text: str) -> dict[str, str]:
        """For each parent issue, the sub-issue the whole article leans to, if it clearly does.

        A statement that says "the truce" in an article about a four-day pause is about the
        temporary truce; the article, not the sentence, says which.
        """
        counts = self._subissue_counts(text)
        defaults: dict[str, str] = {}
        for key, count in counts.most_common():
            parent = key.rpartition("/")[0]
            if parent in defaults or count == 0:
                continue
            rivals = [c for k, c in counts.items() if k != key and k.startswith(parent + "/")]
            if count >= 2 and all(count >= 2 * rival for rival in rivals):
                defaults[parent] = key
            else:
                defaults[parent] = ""
        return {parent: key for parent, key in defaults.items() if key}


@lru_cache(maxsize=16)
def issue_index(reference: Reference) -> IssueIndex:
    return IssueIndex(reference)
