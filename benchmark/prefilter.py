"""A quick test that a text cannot match any of some regular expressions, worked out from the
expressions themselves.

The rules judge reads every sentence of every answer with a dozen large patterns
(`benchmark.outcomes`), and most sentences match none of them: "It happens from 12.5 to 20.1 s."
`Prefilter` finds, for each pattern, words that every match of it contains (for
`\\bno (?:match|overlap)\\b`: "no match" or "no overlap"), and searches for those words only: a
text without any of them cannot match, so the full patterns need not be run on it. The words are
derived from the parsed pattern, conservatively: where a part of a pattern guarantees nothing (a
`\\w+`, an optional group), no words are taken from it, and a pattern that guarantees none lets
every text through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from re import _constants as sre  # the parsed form of a pattern; stable since Python 3.11
from re import _parser

_MOST = 64  # the most strings an exact set keeps (longer alternations are summarised by need)


@dataclass(frozen=True)
class _Part:
    """What a part of a pattern can match: every string, when they are few (`exact`), and a set
    of strings one of which every match contains (`need`; None: nothing is guaranteed)."""

    exact: frozenset[str] | None
    need: frozenset[str] | None


_ANYTHING = _Part(None, None)
_EMPTY = _Part(frozenset({""}), None)


def required_words(pattern: str | re.Pattern) -> frozenset[str] | None:
    """Strings one of which occurs in every match of `pattern`; None when there are none to
    rely on (the pattern can match without any fixed text, or it could not be read).

    >>> sorted(required_words(r"\\bno (?:match|overlap)s?\\b"))
    ['no match', 'no overlap']
    >>> required_words(r"\\d+ s") == {" s"}, required_words(r"(?:not)?\\s*here") == {"here"}
    (True, True)
    >>> required_words(r"\\w+|there") is None
    True
    """
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    else:
        flags = 0
    try:
        need = _sequence(_parser.parse(pattern, flags)).need
    except Exception:  # a form this reading does not know: nothing to rely on
        return None
    return _shortest(need) if need and "" not in need else None


#: Each character that a case-blind pattern matches to an ASCII letter, as that letter: A-Z, and
#: the four others Python's `re` matches to one (İ and ı to i, ſ to s, the Kelvin sign to k).
FOLD = str.maketrans(
    {**{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
     "\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
)  # fmt: skip


class Prefilter:
    """`may_match(text)`: False only when no pattern of `patterns` can match `text`.

    The words are searched for in the text folded by `FOLD`, case-sensitively: whatever a
    pattern matches, ignoring case or not, folds to its words in lower case (and a case-sensitive
    search lets `re` skip ahead to the words' first letters, which a case-blind one does not).
    """

    def __init__(self, patterns: list[re.Pattern]) -> None:
        words: set[str] = set()
        for pattern in patterns:
            need = required_words(pattern)
            if need is None or not all(w.isascii() for w in need):
                words = set()
                break
            words |= {w.lower() for w in need}
        self.words = _shortest(words)
        self._search = re.compile(_trie(self.words)).search if words else None

    def may_match(self, text: str) -> bool:
        return self._search is None or self._search(text.translate(FOLD)) is not None


def _shortest(words: Iterable[str]) -> frozenset[str]:
    """The words that hold no other: a text that holds a word holds every word inside it."""
    words = set(words)
    return frozenset(w for w in words if not any(o != w and o in w for o in words))


def _trie(words: Iterable[str]) -> str:
    """A pattern matching any of `words`, branching one letter at a time ("a(?:nd|bsent)"), so
    that `re` tries one branch at each place rather than each word.

    >>> _trie(["and", "absent", "but"])
    '(?:a(?:bsent|nd)|but)'
    """
    heads: dict[str, list[str]] = {}
    for word in words:
        heads.setdefault(word[:1], []).append(word[1:])
    branches = []
    for head, tails in sorted(heads.items()):
        if "" in tails:  # the word ends here: anything longer is not needed
            branches.append(re.escape(head))
        elif len(tails) == 1:
            branches.append(re.escape(head + tails[0]))
        else:
            branches.append(re.escape(head) + _trie(tails))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _sequence(items) -> _Part:
    """A run of parts one after another: exact strings are joined while they stay few; the
    need of the whole is the best need of any run or part in it."""
    run: frozenset[str] | None = frozenset({""})
    whole_exact, best = True, None
    for op, av in items:
        part = _part(op, av)
        if run is not None and part.exact is not None and len(run) * len(part.exact) <= _MOST:
            run = frozenset(a + b for a in run for b in part.exact)
            continue
        whole_exact = False
        best = _better(best, _need_of(run))
        best = _better(best, part.need)
        run = part.exact if part.exact is not None else frozenset({""})
    if whole_exact:
        return _Part(run, _need_of(run))
    return _Part(None, _better(best, _need_of(run)))


def _part(op, av) -> _Part:
    if op is sre.LITERAL:
        return _Part(frozenset({chr(av)}), frozenset({chr(av)}))
    if op is sre.IN:
        return _charset(av)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _EMPTY  # zero width
    if op is sre.SUBPATTERN:
        return _sequence(av[3])
    if op is sre.ATOMIC_GROUP:
        return _sequence(av)
    if op is sre.BRANCH:
        return _branch([_sequence(branch) for branch in av[1]])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av
        inner = _sequence(body)
        if low == 0:
            if high == 1 and inner.exact is not None:
                return _Part(inner.exact | {""}, None)
            return _EMPTY if high == 0 else _ANYTHING
        if low == high == 1:
            return inner
        return _Part(None, inner.need)
    return _ANYTHING  # any character, a class, a back-reference: nothing fixed


def _charset(items) -> _Part:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < 16:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # a negation, a category (\w, \s), a wide range
            return _ANYTHING
    exact = frozenset(chars)
    return _Part(exact, exact) if exact else _ANYTHING


def _branch(parts: list[_Part]) -> _Part:
    exact: frozenset[str] | None = frozenset()
    need: frozenset[str] | None = frozenset()
    for part in parts:
        exact = None if exact is None or part.exact is None else exact | part.exact
        need = None if need is None or part.need is None else need | part.need
    if exact is not None and len(exact) > _MOST:
        exact = None
    return _Part(exact, need)


def _need_of(exact: frozenset[str] | None) -> frozenset[str] | None:
    return None if exact is None or "" in exact else exact


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two needs: the one whose shortest string is longer, then fewer."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda need: (min(map(len, need)), -len(need)))
