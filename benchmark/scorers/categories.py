"""Mismatch categories of a refusal: which of the 11 HI-VTG categories it explains.

A hard-irrelevant query is a relevant one with one to three edits, each of one kind (RA-RFT
Table 1): an object swapped, an action replaced, a colour or number changed, a place or an order
altered. A refusal that explains the mismatch contrasts what the query says with what the video
shows, so its categories are read from that contrast, using the query and the refusal together:

1. *substitutions*: a word class the query uses and the refusal answers with another word of the
   same class that the query lacks ("kitchen" → "bedroom": Scene/SceneExistence; "two" → "three":
   Attribute/Counting; "closes" → "opening": Action/FineGrainedAction; "box" → "book":
   Object/ObjectExistence);
2. *named aspects*: the refusal names what differs ("the temporal order", "the colour", "the
   spatial relation", "the count", "the object referenced is absent").

Word classes are small general English lists (`WORD_CLASSES`), not fitted to any data set.
Measured on the released gold refusal texts against their own gold categories (mean Jaccard):
see `RulesJudge.describe()` and the closing notes of the verdicts issue.
"""

from __future__ import annotations

import re

from benchmark.records import CATEGORIES
from benchmark.words import VERBS, lemma, words

OBJECT, MOVING, SPATIAL, PART, ACTION, SEQUENCE, VALUE, COUNTING, COMPARISON, SCENE, TRANSITION = (
    CATEGORIES
)

_COLOURS = (
    "red green blue yellow purple white black orange pink brown gray grey silver gold golden "
    "dark bright light beige violet"
)
WORD_CLASSES: dict[str, frozenset[str]] = {
    "place": frozenset(
        "kitchen bathroom bedroom hallway hall garage office closet pantry basement attic "
        "staircase stairway porch yard garden lobby entryway doorway classroom gym store shop "
        "restaurant bar cafe stage studio street road park beach forest field lake river pool "
        "desert snow mountain outdoors outside indoors inside living dining laundry room "
        "balcony corridor library church hospital school court arena city countryside".split()
    ),
    "spatial": frozenset(
        "on under underneath beneath above below beside next behind front top bottom inside "
        "into onto near nearby between over across against atop within outside left right "
        "opposite side".split()
    ),
    "direction": frozenset(
        "up down upward upwards downward downwards leftward rightward toward towards away "
        "forward forwards backward backwards clockwise counterclockwise in out back".split()
    ),
    "number": frozenset(
        "one two three four five six seven eight nine ten single multiple several both pair "
        "couple many few alone only another second third group dozen".split()
    ),
    "attribute": frozenset(
        (
            _COLOURS + " small large big tiny huge tall short long wide narrow thick thin "
            "wooden metal plastic glass paper leather round square happy sad angry calm "
            "smiling crying laughing frowning excited bored tired scared slowly quickly "
            "loudly quietly gently soft wet dry hot cold closed male female"
        ).split()
    ),
    "comparison": frozenset(
        "larger smaller bigger taller shorter faster slower higher lower longer more less "
        "than closer farther further heavier lighter older younger".split()
    ),
    "sequence": frozenset(
        "before after then first finally afterwards later earlier while during once next "
        "previously subsequently followed prior".split()
    ),
    "part": frozenset(
        "wheel wheels handle handles lid cap sleeve collar button buttons screen keyboard "
        "hat cap glasses watch bracelet ring necklace helmet glove gloves shoe shoes boot "
        "boots jacket coat shirt scarf strap leg legs arm arms head face hair finger fingers "
        "foot feet knob blade tip edge edges skin peel yolk shell rim spout".split()
    ),
}
# Named aspects: phrases that say which kind of detail differs.
ASPECTS: dict[str, re.Pattern[str]] = {
    SEQUENCE: re.compile(
        r"\b(?:order|sequence|temporal|timing|reversed|chronolog\w*|the other way round|"
        r"precede[sd]?|followed by|prior to)\b"
    ),
    COUNTING: re.compile(r"\b(?:count|counts|counting|number of|numerical|how many|quantity)\b"),
    VALUE: re.compile(
        r"\b(?:colou?r|colou?red|attribute|emotion|emotional|expression|mood|size|made of|"
        r"brightness|shade|texture|facial)\b"
    ),
    COMPARISON: re.compile(r"\b(?:compar\w*|relative size|(?!rather)\w+er than)\b"),
    SPATIAL: re.compile(r"\b(?:spatial\w*|position\w*|placement|relative location)\b"),
    MOVING: re.compile(r"\b(?:direction\w*|trajector\w*|motion direction|moving direction)\b"),
    PART: re.compile(
        r"\b(?:accessor\w*|part-whole|part–of|component|referenced part|part of the (?!video|"
        r"footage|clip|segment|material|scene)\w+|wear(?:s|ing)?|worn)\b"
    ),
    SCENE: re.compile(r"\b(?:setting|environment|surroundings|backdrop|background|room)\b"),
    TRANSITION: re.compile(r"\b(?:transition\w*|scene change|cuts? (?:from|to)|moves? from)\b"),
    OBJECT: re.compile(r"\b(?:object|item|referenced \w+ is absent|no \w+ (?:appears|is))\b"),
    ACTION: re.compile(r"\b(?:action|activity|gesture|motion|movement)\b"),
}
#: The word class whose substitution makes each category.
CLASS_CATEGORY = {
    "place": SCENE,
    "spatial": SPATIAL,
    "direction": MOVING,
    "number": COUNTING,
    "attribute": VALUE,
    "comparison": COMPARISON,
    "sequence": SEQUENCE,
    "part": PART,
}
_GENERIC = frozenset(
    "query video footage clip segment scene part portion interval moment request description "
    "shows show shown showing depicts depicted displays displayed features contains appears "
    "does not match matches align aligns inconsistent inconsistency mismatch unrelated "
    "person people someone man woman they them their there this that these those what which "
    "asks asked states says describes described specifies refers mentions instead rather "
    "while whereas but however although only also and the a an of to in on at is are was were "
    "be been being it its with from for by as so no any nothing none satisfies satisfy "
    "satisfied".split()
)
_NEGATOR = re.compile(
    r"\b(?:not|no|never|without|nor|instead of|rather than|absence of|lack of)\b|n't\b"
)
_ABSENT_AFTER = re.compile(r"\b(\w+)\s+(?:is|are|was|were)\s+(?:absent|missing|not\b)")
_OPPOSITES = {
    frozenset(p)
    for p in (("up", "down"), ("upward", "downward"), ("upwards", "downwards"), ("in", "out"),
              ("toward", "away"), ("towards", "away"), ("left", "right"), ("into", "out"),
              ("forward", "backward"), ("forwards", "backwards"), ("clockwise", "counterclockwise"),
              ("leftward", "rightward"), ("ascending", "descending"), ("enter", "exit"))
}  # fmt: skip


_PARTICLES = frozenset("up down in out back".split())
_MOVEMENT = frozenset("run walk move roll go come climb slide fall rise jump ride drive fly swim "
                      "crawl step head".split())  # fmt: skip


def _negated(text: str) -> set[str]:
    """Lemmas of the words a refusal denies: the few words after a negation or contrast, and a
    word followed by "is absent / missing / not"."""
    out = set()
    for m in _NEGATOR.finditer(text):
        out |= {lemma(w) for w in words(text[m.end() : m.end() + 45])[:5]}
    out |= {lemma(m.group(1)) for m in _ABSENT_AFTER.finditer(text)}
    return out


_CLASS_LEMMAS = frozenset(w for members in WORD_CLASSES.values() for w in members)


def refusal_categories(explanation: str, query: str = "") -> tuple[str, ...]:
    """The mismatch categories a refusal explains, from its contrast with the query (in
    CATEGORIES order; see the module docstring)."""
    text = re.sub(r"\b(?:no|any|every|the) (?:part|portion)s?\b", " ", explanation.lower())
    text = re.sub(r"\brather than\b", " instead of ", text)
    said_words, asked_words = words(text), words(query)
    said, asked = set(said_words), set(asked_words)
    new = said - asked
    denied = _negated(text)
    found = {c for c, pattern in ASPECTS.items() if pattern.search(text)}
    for name, members in WORD_CLASSES.items():
        if name in ("direction", "part") or not asked & members:
            continue
        substituted = bool(new & members)
        if substituted or (name != "spatial" and asked & members & denied):
            found.add(CLASS_CATEGORY[name])
    moving = bool({lemma(w) for w in asked} & _MOVEMENT)
    for word in asked & WORD_CLASSES["direction"]:
        if word in _PARTICLES and not moving:
            continue  # "picks up" / "puts down": a verb particle, not a direction
        if any(frozenset((word, other)) in _OPPOSITES for other in new):
            found.add(MOVING)
    if asked & WORD_CLASSES["part"] and (new & WORD_CLASSES["part"] or asked & denied):
        found.add(PART)
    said_lemmas, new_lemmas = {lemma(w) for w in said}, {lemma(w) for w in new}
    asked_lemmas = {lemma(w) for w in asked}
    asked_verbs, new_verbs = asked_lemmas & VERBS, (new_lemmas - asked_lemmas) & VERBS
    if asked_verbs & denied or (asked_verbs and new_verbs and not found - {ACTION}):
        found.add(ACTION)
    asked_nouns = asked_lemmas - VERBS - _GENERIC - _CLASS_LEMMAS
    asked_nouns = {w for w in asked_nouns if len(w) > 2}
    new_nouns = {
        w for w in new_lemmas - asked_lemmas - VERBS - _GENERIC - _CLASS_LEMMAS if len(w) > 2
    }
    if asked_nouns and (asked_nouns & denied or (new_nouns and not asked_nouns & said_lemmas)):
        found.add(OBJECT)
    return tuple(c for c in CATEGORIES if c in found)
