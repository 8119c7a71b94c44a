"""Test-wide settings: a private cache for the synthetic split, no network."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Build the synthetic split once per test session, in a temporary cache."""
    mp = pytest.MonkeyPatch()
    mp.setenv("REFUSAL_BENCH_CACHE", str(tmp_path_factory.mktemp("cache")))
    mp.delenv("REFUSAL_BENCH_DATA", raising=False)
    mp.delenv("REFUSAL_BENCH_VIDEOS", raising=False)
    yield
    mp.undo()
