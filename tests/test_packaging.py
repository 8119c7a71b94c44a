"""The wheel holds the whole package, and an installed copy finds its task configs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import benchmark

ROOT = Path(__file__).resolve().parent.parent


def test_tasks_are_found_in_a_source_checkout():
    assert benchmark.tasks_dir() == ROOT / "tasks"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("refusal_bench-*.whl")
    return path


def test_wheel_holds_every_source_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, installed_as in (
        ("benchmark", "benchmark"),
        ("leaderboard", "leaderboard"),
        ("baselines", "baselines"),
        ("tasks", "benchmark/task_configs"),
    ):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                relative = path.relative_to(ROOT / folder).as_posix()
                assert f"{installed_as}/{relative}" in names, (
                    f"{folder}/{relative} is not in the wheel"
                )


def test_an_installed_wheel_finds_its_task_configs(wheel, tmp_path):
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = "import benchmark; print(benchmark.__file__); print(benchmark.tasks_dir())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0].startswith(str(target))
    assert out[1] == str(target / "benchmark" / "task_configs")
    assert (Path(out[1]) / "README.md").is_file()
