"""Word lists that tie predicates to stances. Kinds of acts, not phrases from any article."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that attribute words or a position to their subject.
SPEECH = words("""
say tell add state note write post declare announce confirm claim explain warn reiterate
stress emphasise emphasize argue respond reply repeat insist assert maintain affirm told
quote cite acknowledge admit deny dismiss comment predict describe indicate suggest signal
report mention highlight underline underscore point contend complain accuse blame charge
threaten caution vow pledge promise commit reject refuse accept agree approve endorse
welcome propose offer present submit demand urge call ask press push require want
appeal plead rule oppose decline condemn criticise criticize denounce slam back support
hail praise express voice reaffirm concede counter hope expect believe think say-so
stipulate set outline unveil table float brush wave downplay play decide resolve plan
defend signal recommend put lay challenge balk baulk scoff pitch tweet publish inform brief
convey hint rebuff spurn veto restate
specify clarify remark retort allege blast decry applaud commend favour favor prefer ratify
authorise authorize guarantee assure reassure forecast emphasise lament
intend prepare aim order instruct vote sign
""")

# Platforms named as a channel in a reporting chain ("wrote on X").
PLATFORMS = frozenset({"X", "Twitter", "Telegram", "Facebook", "Instagram", "TikTok", "YouTube",
                       "Truth", "WhatsApp"})

# Acts on the negotiation itself that count as positions when their object is part of it
# ("suspended its mediation" = intent, "handed over its response" = propose).
NEGOTIATION_ACTS = words("""
suspend resume send dispatch withdraw pull quit boycott freeze halt postpone hand deliver
submit return recall join
""")
NEGOTIATION_OBJECTS = words("""
mediation talks negotiation negotiations delegation delegations negotiator negotiators team
role response reply counterproposal proposal participation envoy envoys amendment amendments
""")

REJECT = words("""
reject refuse dismiss oppose decline veto rebuff spurn scrap condemn denounce slam balk baulk
scoff
""")
REJECT_PHRASAL = {("rule", "out"), ("vote", "against"), ("turn", "down"), ("brush", "aside"),
                  ("brush", "off"),
                  ("wave", "off"), ("wave", "away"), ("walk", "away"), ("back", "away"),
                  ("pull", "out"), ("back", "out")}
ACCEPT = words("""
accept agree approve endorse embrace ratify greenlight sign welcome hail
""")
PROPOSE = words("""
propose offer present submit suggest outline unveil table float pitch draft
""")
PROPOSE_PHRASAL = {("put", "forward"), ("lay", "out"), ("set", "out"), ("come", "up")}
DEMAND = words("""
demand insist urge call require want seek press push appeal plead stipulate ask need
""")
INTENT = words("""
vow pledge promise commit plan intend prepare aim decide resolve threaten continue send
dispatch resume suspend halt stop seek
""")
# Nouns and adjectives that carry a stance when they are the predicate's object or complement.
INTENT_WORDS = words("""
ready readiness willing willingness prepared determined committed commitment intention
intent plan open openness keen eager
""")
REJECT_WORDS = words("""
rejection refusal opposition unacceptable veto non-starter nonstarter nonstarters
non-starters
""")
ACCEPT_WORDS = words("""
acceptance approval consent endorsement
""")
DEMAND_WORDS = words("""
demand demands condition conditions prerequisite prerequisites requirement requirements
red non-negotiable necessary essential imperative must need insistence call important
importance vital crucial incumbent urgent necessity priority onus calls
""")
PROPOSE_WORDS = words("""
proposal plan offer counterproposal initiative framework
""")

# Inanimate subjects: a deal or a war is never the speaker of a statement.
THINGS = words("""
proposal deal plan agreement truce ceasefire offer text framework war talks negotiation
negotiations pause fighting offensive operation draft document move decision arrangement
understanding attack strike bombing release exchange process phase stage
""")

# Documents that speak for the side that wrote them ("Hamas's response said", "the
# Egyptian plan calls for").
DOCUMENTS = words("""
proposal plan offer response reply counterproposal draft statement letter document paper
initiative framework roadmap
""")

# Organisations and people that never speak for a party (their statements make no draft).
NON_PARTY = words("""
un u.n. unicef unrwa who wfp ocha icrc msf red cross crescent amnesty watch ngo charity
forum families family relatives residents resident witnesses witness doctors medics
hospital opposition analyst analysts expert experts observers journalist journalists
""")

# Words that make a subject a news outlet (a link in the reporting chain, not a speaker).
OUTLET_WORDS = words("""
media television tv channel broadcaster newspaper daily agency radio outlet website wire
""")
OUTLETS = words("""
reuters ap afp cnn bbc axios nbc cbs abc fox bloomberg xinhua ians ani pti wafa kan sky
aljazeera al-jazeera jazeera al-arabiya arabiya asharq haaretz ynet politico guardian
times post journal telegraph independent npr anadolu tass ria sputnik dpa efe i24 maariv
walla
""")

CONDITION_MARKERS = ("only if", "only when", "only after", "unless", "until", "as long as",
                     "so long as", "provided that", "on condition", "conditional on",
                     "contingent on", "contingent upon", "conditioned on", "in exchange for",
                     "not before", "as soon as", "in return for")


def known_verbs() -> frozenset[str]:
    return (SPEECH | REJECT | ACCEPT | PROPOSE | DEMAND | INTENT | NEGOTIATION_ACTS
            | frozenset({"hope", "wish", "like", "study", "review", "examine", "consider",
                         "support", "respond", "react", "expect", "vote", "threaten"}))


_KNOWN: frozenset[str] = frozenset()


def lemma(token: Token) -> str:
    """The token's lemma, mended where the small model's lemmatizer slips ("hoped" -> "hop")."""
    global _KNOWN
    if not _KNOWN:
        _KNOWN = known_verbs()
    found: str = token.lemma_.lower()
    if found in _KNOWN or token.pos_ not in ("VERB", "AUX"):
        return found
    lower = token.lower_
    if lower.endswith("ing"):
        candidates: tuple[str, ...] = (lower[:-3], lower[:-3] + "e", lower[:-4])
    elif lower.endswith("ed"):
        candidates = (lower[:-1], lower[:-2], lower[:-3])
    elif lower.endswith("s"):
        candidates = (lower[:-1], lower[:-2])
    else:
        candidates = ()
    for candidate in candidates:
        if candidate in _KNOWN:
            return candidate
    return found
