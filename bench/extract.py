"""Benchmark of extraction: speed against spaCy alone, articles per minute, memory over time.

Not a test; prints figures. Run from the project root:

    .venv/bin/python bench/extract.py [--articles 1000] [--seed 7]

The corpus is generated here from templates (our own sentences, a fixed seed): articles of
about 600 words mixing quoted and reported statements, anonymous sources, relays, pronouns,
dates, conditions, narration, boilerplate lines and statements by non-parties.

Figures printed, all in one process (the two timings alternate article by article):
- words/second of the whole ``extract()`` over the corpus;
- words/second of ``nlp.pipe`` alone over exactly the paragraphs ``extract`` parses, with
  the same pipeline (same components enabled), and the ratio of the two (target >= 0.6);
- articles of ~600 words per minute through ``extract`` (target >= 100);
- peak RSS after the first article and after all of them (target: within 100 MB).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from articles.extraction import DEFAULT_MODEL, extract, load_pipeline  # noqa: E402
from articles.extraction.cleaning import paragraphs  # noqa: E402
from articles.extraction.reference import reference_from_mapping  # noqa: E402
from articles.extraction.types import ArticleMeta  # noqa: E402

DEMO = ROOT / "positions" / "demo" / "gaza.yaml"

SPEAKERS = [
    "Hamas", "Israel's government", "the Israeli prime minister's office", "Qatar",
    "Egypt's foreign ministry", "the White House", "Islamic Jihad",
    "a senior Hamas official", "an Israeli official", "two Egyptian sources",
    "Hamas spokesman Hazem Qassem", "Prime Minister Benjamin Netanyahu",
    "US envoy Steve Witkoff", "Qatari spokesperson Majed al-Ansari",
    "Hamas negotiator Samir Testname", "Israeli minister Dana Examplestein",
    "Egyptian mediator Omar Placeholder",
]
FOLLOW_UPS = ["He", "She", "The group", "The official", "The ministry", "The spokesperson"]
VERBS = ["said", "told reporters", "told Reuters", "insisted", "said in a statement",
         "told AFP", "warned", "stressed", "added", "wrote on social media"]
CONTENTS = [
    "it would not accept a temporary truce",
    "any agreement must include the release of all hostages",
    "the movement was ready to resume talks in Cairo",
    "it had accepted the framework presented by the mediators",
    "Israel would keep troops in the corridor until the border was secured",
    "the proposal fell short of its demands for a permanent ceasefire",
    "the delegation would travel to Doha on Sunday",
    "aid trucks must be allowed to enter the north of the strip",
    "prisoners serving life sentences should be part of the exchange",
    "there would be no deal unless the offensive ended",
    "the talks had made progress but gaps remained on the withdrawal",
    "the other side was blocking every step the mediators proposed",
    "a phased agreement could start within days if both sides committed",
]
QUOTES = [
    "We will not give up our demands",
    "There can be no agreement while the bombing continues",
    "We are committed to bringing every hostage home",
    "This plan is the best chance to end the war",
    "Our position has not changed since the start of the talks",
    "The ball is now in their court",
]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "late on Saturday",
        "on Sunday", "", "", ""]
NARRATION = [
    "The war has displaced most of the population of the strip.",
    "Negotiators met for several hours in the Egyptian capital.",
    "Aid agencies described the humanitarian situation as catastrophic.",
    "The previous truce collapsed after one week.",
    "Delegations from both sides did not meet directly.",
    "Fighting continued in the south of the enclave throughout the day.",
]
NON_PARTY = [
    "The UN agency said fuel deliveries must increase immediately.",
    "Families of the captives urged the government to accept the deal.",
    "Residents said the strikes had continued overnight.",
]
BOILERPLATE = ["ALSO READ: Mediators race to close gaps before the holiday",
               "Follow us on our channels for live updates", "(Photo: file image)"]
CONDITIONS = ["only if the fighting stopped", "unless the troops withdrew",
              "until the list of names was delivered", "as long as the other side kept to it"]


def sentence(rng: random.Random, last_speaker: str | None) -> tuple[str, str]:
    kind = rng.random()
    speaker = rng.choice(SPEAKERS)
    day = rng.choice(DAYS)
    if kind < 0.35:
        text = f"{speaker[0].upper() + speaker[1:]} {rng.choice(VERBS)} {day} that {rng.choice(CONTENTS)}."
    elif kind < 0.55:
        quote = rng.choice(QUOTES)
        text = f"\u201c{quote},\u201d {speaker} said {day}."
    elif kind < 0.65 and last_speaker:
        speaker = last_speaker
        text = f"{rng.choice(FOLLOW_UPS)} added that {rng.choice(CONTENTS)} {rng.choice(CONDITIONS)}."
    elif kind < 0.72:
        text = (f"{speaker[0].upper() + speaker[1:]} has long insisted that "
                f"{rng.choice(CONTENTS)}.")
    elif kind < 0.8:
        text = f"\u201c{rng.choice(QUOTES)}. {rng.choice(QUOTES)},\u201d {speaker} said."
    elif kind < 0.9:
        text = rng.choice(NARRATION)
        speaker = last_speaker or speaker
    else:
        text = rng.choice(NON_PARTY)
        speaker = last_speaker or speaker
    return " ".join(text.split()), speaker


def article(rng: random.Random, words: int = 600) -> str:
    paras: list[str] = []
    count = 0
    last: str | None = None
    while count < words:
        if rng.random() < 0.08:
            paras.append(rng.choice(BOILERPLATE))
            continue
        sentences = []
        for _ in range(rng.randint(1, 3)):
            text, last = sentence(rng, last)
            sentences.append(text)
        para = " ".join(sentences)
        paras.append(para)
        count += len(para.split())
    return "\n\n".join(paras)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()

    with DEMO.open(encoding="utf-8") as handle:
        reference = reference_from_mapping(yaml.safe_load(handle))
    rng = random.Random(args.seed)
    corpus = [article(rng) for _ in range(args.articles)]
    published = date(2024, 3, 14)
    metas = [ArticleMeta(title=f"Bench {n}", published=published - timedelta(days=n % 30))
             for n in range(len(corpus))]
    words = sum(len(text.split()) for text in corpus)
    nlp = load_pipeline(args.model)
    print(f"pipeline {args.model}: components {nlp.pipe_names}")
    print(f"corpus: {len(corpus)} articles, {words} words, "
          f"{words / len(corpus):.0f} words per article (seed {args.seed})")

    # Warm up (first parse allocates; dateparser loads its data on first use).
    extract(corpus[0], metas[0], reference)
    rss_first = peak_rss_mb()

    # extract() and spaCy alone over exactly the paragraphs extract() parses (one nlp.pipe
    # call per article, as extract batches them), alternating article by article so both
    # see the same machine load.
    drafts = 0
    extract_seconds = pipe_seconds = 0.0
    for text, meta in zip(corpus, metas, strict=True):
        started = time.perf_counter()
        drafts += len(extract(text, meta, reference))
        middle = time.perf_counter()
        for _ in nlp.pipe([text[s:e] for s, e in paragraphs(text)]):
            pass
        pipe_seconds += time.perf_counter() - middle
        extract_seconds += middle - started
    rss_last = peak_rss_mb()

    pipe_wps = words / pipe_seconds
    extract_wps = words / extract_seconds
    print(f"nlp.pipe alone:   {pipe_wps:8.0f} words/s ({pipe_seconds:.1f} s)")
    print(f"extract():        {extract_wps:8.0f} words/s ({extract_seconds:.1f} s, {drafts} drafts)")
    print(f"ratio extract/pipe: {extract_wps / pipe_wps:.2f}  (target >= 0.6)")
    print(f"articles per minute: {len(corpus) / extract_seconds * 60:.0f}  (target >= 100)")
    print(f"peak RSS after first article: {rss_first:.0f} MB; after {len(corpus)}: "
          f"{rss_last:.0f} MB; growth {rss_last - rss_first:.0f} MB  (target <= 100)")


if __name__ == "__main__":
    main()
