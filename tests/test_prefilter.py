"""The prefilter that lets the rules judge pass over sentences that cannot refuse: the words it
derives from a pattern, the case folding it searches in, and readings that stay the same."""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path

import pytest
from data_fixtures import SHARED_DATA

from benchmark import outcomes
from benchmark.errors import BenchmarkError
from benchmark.outcomes import read_grounding, read_qa, sentences
from benchmark.parse import answer_part
from benchmark.prefilter import FOLD, Prefilter, required_words

SENTENCE_PATTERNS = list(outcomes._CUE_PATTERNS)
#: the patterns `_sentence_cue` reads that only qualify a cue (a hedge, a time), never are one
QUALIFIERS = {"_TIMED", "_BUT", "_NEGATED", "_HEDGE", "_CLAUSE_END", "_SUCH", "_PRECISE", "_UNTIL"}


def test_the_prefilter_knows_every_pattern_a_cue_can_come_from():
    """A pattern `_sentence_cue` returns cues from but the prefilter does not know would make
    the judge miss refusals: each pattern it reads must be one or the other."""
    names, codes = set(), [outcomes._sentence_cue.__code__]
    while codes:  # its own names and those of the functions inside it
        code = codes.pop()
        names |= set(code.co_names)
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    read = {n for n in names if isinstance(getattr(outcomes, n, None), re.Pattern)}
    cues = {n for n in read if getattr(outcomes, n) in outcomes._CUE_PATTERNS}
    assert read - cues == QUALIFIERS
    assert len(cues) == len(outcomes._CUE_PATTERNS)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\bno (?:match|overlap)s?\b", {"no match", "no overlap"}),
        (r"(?:not)?\s*here", {"here"}),
        (r"(?:cannot|unable to) (?:find|see)", {"cannot find", "cannot see", "unable to find",
                                                "unable to see"}),
        (r"[,;]\s*not\b", {"not"}),  # the longer of the two guarantees
        (r"(?<!\w)there(?=\s)", {"there"}),  # look-arounds guarantee nothing, and take nothing
        (r"(?:absent|missing){2,}", {"absent", "missing"}),
        (r"x{0,3}y", {"y"}),
        (r"\d+\s*(?:sec|s)\b", {"s"}),  # "sec" holds "s"
    ],
)  # fmt: skip
def test_words_that_every_match_holds(pattern, words):
    assert required_words(pattern) == words
    for text in ("no overlaps", "here", "unable to see", ", not", "there ", "absentmissing"):
        if re.search(pattern, text):
            assert any(w in text for w in words), text


@pytest.mark.parametrize("pattern", [r"\w+", r"(?:no)?\s*", r"not|\d+", r"[^x]+y?", r"(?:a|)b?"])
def test_a_pattern_that_guarantees_no_words_lets_every_text_through(pattern):
    assert required_words(pattern) is None
    assert Prefilter([re.compile(pattern), re.compile("never")]).may_match("12 to 18 s")


def test_fold_gives_each_character_that_matches_an_ascii_letter_ignoring_case_as_that_letter():
    letter = re.compile("[a-z]", re.I)
    other_ascii = re.compile(r"[\x00-\x40\x5b-\x60\x7b-\x7f]", re.I)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        folded = char.translate(FOLD)
        if letter.fullmatch(char):
            assert "a" <= folded <= "z" and re.fullmatch(folded, char, re.I), hex(code)
        else:
            assert folded == char, hex(code)
            assert not other_ascii.fullmatch(char) or char.isascii(), hex(code)


def test_case_blind_matches_through_odd_letters_pass():
    """ſ (long s), K (Kelvin), İ and ı match s, k and i when case is ignored."""
    prefilter = Prefilter([re.compile(r"\b(?:show|kicks?|is)\b", re.I)])
    for text in ("It doesn't ſhow a dog", "He \u212aICKS the ball", "\u0130S it", "\u0131s"):
        assert re.search(r"\b(?:show|kicks?|is)\b", text, re.I), text
        assert prefilter.may_match(text), text
    assert not prefilter.may_match("He throws the ball from 3 to 5 s.")


OUTPUTS = [
    "The event happens from 12.5 to 20.1 seconds.",
    "<think>The man walks in, then the dog runs.</think><answer>12.5 to 20.1</answer>",
    "He opens the door from 2 to 4 s, then he sits on the bed from 5 to 9 s.",
    "I'm not sure, but it is around 12 to 18 s.",
    "There's no audio, but the man walks the dog from 3 to 6 s.",
    "The dog is not seen until 12 s; the walk happens from 12 to 18 s.",
    "The query doesn't perfectly match, but the closest moment is 12 to 18 s.",
    "There is no doubt: 12 to 18 s.",
    '{"start": 12, "end": 18}',
    "The woman pours orange juice, not milk.",
    "No milk appears anywhere in this footage.",
    "She never pours anything; she only drinks from the glass.",
    "This query doesn't fit the video: she pours water from 4 to 9 s.",
    "What is shown is a man washing dishes, so the query is not applicable.",
    "The glass stays empty throughout; nothing is poured into it.",
    "Query mismatch.",
    "The question assumes an umbrella, but she holds a handbag.",
    "Unclear - I can't make out any umbrella.",
    "It looks black, although the lighting is poor.",
    "Mostly green; it is not fully open.",
    "The video does not ſhow a dog.",  # long s
    "THE DOG IS ABSENT FROM THE CLIP.",
    "Rather than a dog, a cat crosses the park from 3 to 5 s.",
    "The described pouring does not take place.",
]


def _released_texts(limit: int = 600) -> list[tuple[str, str]]:
    """(text, query) of the released refusals, when the data is here."""
    if not SHARED_DATA.is_dir():
        return []
    from benchmark.official import OfficialReference

    reference = OfficialReference(SHARED_DATA)
    pairs = []
    for task in ("hi_tvgbench", "hi_charades", "uvqa_object", "uvqa_relation"):
        try:
            samples = reference.task(task).samples
        except BenchmarkError:  # this task's files are not here
            continue
        pairs += [(s.refusal, s.question) for s in samples if s.refusal][:limit]
    return pairs


def _calibration_texts() -> list[tuple[str, str]]:
    """The answer parts of the shipped calibration outputs (982, in 22 styles), each read
    against two queries: one it may be about, one it cannot be."""
    path = Path(__file__).resolve().parents[1] / "benchmark" / "calibration" / "outputs.jsonl"
    texts = [answer_part(json.loads(line)["text"]) for line in path.read_text().splitlines()]
    return [(t, q) for t in texts for q in ("A person holds a cup.", "What color is the bag?")]


def _corpus() -> list[tuple[str, str]]:
    query = "A man walks his dog in the park."
    return [(t, query) for t in OUTPUTS] + _released_texts() + _calibration_texts()


def test_every_sentence_a_pattern_matches_passes():
    pairs = _corpus()
    passed = skipped = 0
    for text, _ in pairs:
        for sentence in sentences(text):
            if any(p.search(sentence) for p in SENTENCE_PATTERNS):
                assert outcomes._MAY_REFUSE.may_match(sentence), sentence
                passed += 1
            elif not outcomes._MAY_REFUSE.may_match(sentence):
                skipped += 1
    assert passed > 20 and skipped > 5  # it is used, and it does pass some sentences over


def test_readings_are_the_same_with_or_without_the_prefilter(monkeypatch):
    pairs = _corpus()
    filtered = [(read_grounding(t, q), read_qa(t, q)) for t, q in pairs]
    monkeypatch.setattr(outcomes, "_MAY_REFUSE", Prefilter([]))  # no words: every sentence read
    assert outcomes._MAY_REFUSE.may_match("12 to 18 s")
    assert [(read_grounding(t, q), read_qa(t, q)) for t, q in pairs] == filtered
