"""Words and crude lemmas: the one tokenizer the offline judge's overlap tests share.

Refusal reading (`benchmark.outcomes`), the right-reason check and the mismatch categories
(`benchmark.scorers`) all ask whether two texts name the same thing ("chairs" names "chair",
"taking" is "take"). No NLP model is needed offline: lower-case words, with plural and verb
endings removed by rule and a final "e" restored for the common verbs that lose it.
"""

from __future__ import annotations

import functools
import re

#: Common action verbs (lemmas). They let `lemma` restore a dropped "e" ("taking" -> "take"), and
#: the category reader tells an action edit from an object edit by them.
VERBS = frozenset(
    "open close take put hold pick drop throw toss eat drink sit stand walk run jump climb "
    "pour wash clean cut cook stir mix fold unfold wipe sweep push pull carry lift lower "
    "place grab reach turn switch start stop play watch look read write type call talk "
    "speak sing dance laugh cry smile frown sneeze cough wake sleep lie lay dress undress "
    "wear remove tie untie kick hit catch swing ride drive park enter leave exit come go "
    "fix repair build break light fill empty spill shake nod wave point hug kiss tidy "
    "serve slice chop peel crack bake fry boil grill paint draw show hand give get "
    "bring send use move roll spin slide fall rise flip sip chew bite swallow smell touch "
    "rub scratch tap knock press squeeze hang store keep grasp snuggle cuddle appear disappear "
    "peck steal flash pierce weigh measure retrieve dice mash grate whisk knead spread pack "
    "unpack load unload lock unlock zip unzip button unbutton plug unplug insert attach detach "
    "wrap unwrap tear rip shred sew knit iron fold hug pet feed chase follow lead lean bend kneel "
    "crawl wander rush hurry jog sprint skip hop bounce float sink swim dive surf ski skate "
    "throw shoot aim fire strike punch slap grab drag drop collect gather arrange stack sort "
    "organize hide reveal cover uncover demonstrate teach "
    "learn practice perform rehearse stretch exercise lift rest relax yawn blink stare glance "
    "peek peer wink whisper shout scream yell cheer clap applaud greet kiss cook heat cool "
    "melt freeze burn smoke blow inflate deflate catch release accept reject dry sprinkle "
    "scatter begin drain squirt spray brush comb shave rinse soak scoop flip toss vanish pop "
    "fade shrink grow travel emerge".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_ENDINGS = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_SIBILANT = ("ss", "x", "z", "ch", "sh")  # "boxes" -> "box", but "horses" -> "horse"


def words(text: str) -> list[str]:
    """Lower-case words and numbers, in order."""
    return _WORD.findall(text.lower())


@functools.lru_cache(maxsize=1 << 16)  # a judge asks for the same few thousand words again
def lemma(word: str) -> str:
    """A crude lemma: "chairs" -> "chair", "boxes" -> "box", "taking" -> "take",
    "running" -> "run", "stopped" -> "stop", "glass" stays.

    >>> [lemma(w) for w in ("chairs", "boxes", "horses", "taking", "running", "dried", "glass")]
    ['chair', 'box', 'horse', 'take', 'run', 'dry', 'glass']
    """
    for suffix, keep in _ENDINGS:
        base = word[: -len(suffix)] + keep
        if word.endswith(suffix) and len(base) >= 3 and not word.endswith("ss"):
            if suffix == "es" and not base.endswith(_SIBILANT):
                return word[:-1]
            if base + "e" in VERBS:
                return base + "e"
            if suffix in ("ing", "ed") and len(base) > 3 and base[-1] == base[-2]:
                return base[:-1]
            return base
    return word


def lemmas(text: str, *, stop: frozenset[str] = frozenset(), min_length: int = 1) -> set[str]:
    """The lemmas of a text's words, leaving out `stop` words and words shorter than
    `min_length`."""
    return {lemma(w) for w in words(text) if w not in stop and len(w) >= min_length}
