"""The baselines README's memory table is the formula's output, not hand-typed numbers."""

from pathlib import Path

import pytest

from baselines.memory import host_offload_gib, table, zero_memory_gib


def test_readme_table_is_the_computed_one():
    readme = (Path(__file__).parents[1] / "baselines" / "README.md").read_text(encoding="utf-8")
    assert table() in readme


def test_zero_stages_shard_what_the_zero_paper_says():
    psi = 1024**3 / 2  # 2 bytes per parameter = 1 GiB of bf16 weights
    assert zero_memory_gib(psi, psi, 4, 0) == pytest.approx(8.0)  # 16 bytes per parameter
    assert zero_memory_gib(psi, psi, 4, 1) == pytest.approx(1 + 1 + 6 / 4)
    assert zero_memory_gib(psi, psi, 4, 2) == pytest.approx(1 + 7 / 4)
    assert zero_memory_gib(psi, psi, 4, 3, reference=True) == pytest.approx((8 + 1) / 4)
    assert zero_memory_gib(psi, 0.0, 4, 2) == pytest.approx(1.0)  # frozen: weights only
    assert host_offload_gib(psi, psi) == pytest.approx(9.0)  # 2 + 16 bytes per parameter
    with pytest.raises(ValueError, match="stage"):
        zero_memory_gib(psi, psi, 1, 4)
