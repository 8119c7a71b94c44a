"""SBERT scoring at the size of HI-ActivityNet: 17,000 (explanation, reference) pairs.

References repeat (several queries share a reference style, and templated refusals repeat
verbatim) and so do model explanations; each distinct text is encoded once. Prints items per
second and the share of encodes de-duplication saved, against encoding every text.

    python perf/sbert_throughput.py [--items 17000] [--distinct 0.35]
"""

from __future__ import annotations

import argparse
import random
import time

from benchmark.scorers import SbertScorer

WORDS = (
    "the a red blue green man woman dog door opens closes walks runs video shows query kitchen car"
).split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=17_000)
    parser.add_argument("--distinct", type=float, default=0.35, help="share of distinct texts")
    parser.add_argument(
        "--baseline", type=int, default=1_000, help="items encoded without de-duplication"
    )
    args = parser.parse_args()
    rng = random.Random(0)
    pool = [
        " ".join(rng.choices(WORDS, k=rng.randint(8, 30)))
        for _ in range(int(args.items * args.distinct))
    ]
    explanations = [rng.choice(pool) for _ in range(args.items)]
    references = [rng.choice(pool) for _ in range(args.items)]

    scorer = SbertScorer(disk_cache=False)  # encoding speed; perf/sbert_cache.py times the cache
    scorer.embed(["warm up"])
    scorer._cache.clear()
    start = time.perf_counter()
    scores = scorer.clipped(explanations, references)
    ours = time.perf_counter() - start
    encoded = len(scorer._cache)

    naive_texts = explanations[: args.baseline] + references[: args.baseline]
    start = time.perf_counter()
    scorer.model.encode(
        naive_texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )
    naive_per_text = (time.perf_counter() - start) / len(naive_texts)
    naive = naive_per_text * 2 * args.items

    print(
        f"{args.items} pairs ({2 * args.items} texts, {encoded} distinct), "
        f"scores in [{scores.min():.2f}, {scores.max():.2f}]"
    )
    print(f"{'method':<36}{'seconds':>9}{'items/s':>10}")
    print(f"{'encode every text (extrapolated)':<36}{naive:>9.1f}{args.items / naive:>10.0f}")
    print(f"{'de-duplicated (ours)':<36}{ours:>9.1f}{args.items / ours:>10.0f}")
    print(
        f"encodes saved by de-duplication: {1 - encoded / (2 * args.items):.0%}; "
        f"speed-up {naive / ours:.1f}x"
    )


if __name__ == "__main__":
    main()
