"""The official reference a submission is validated against: registered tasks, their samples,
the prompt versions of this release, and the judges that can be re-run offline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from benchmark.errors import UsageError
from benchmark.provenance import prompt_versions, samples_digest
from benchmark.registry import load_registry
from benchmark.task_loading import load_task
from leaderboard.validate import ReferenceTask


class OfficialReference:
    def __init__(
        self,
        data_root: str | Path | None = None,
        *,
        seed: int = 0,
        video_root: str | Path | None = None,
    ) -> None:
        self.data_root = data_root
        self.seed = seed
        self.videos = Path(video_root) if video_root else None
        self.prompt_versions = prompt_versions()
        self._tasks: dict[str, ReferenceTask | None] = {}
        self._video_roots: dict[str, Path | None] = {}

    def task(self, name: str) -> ReferenceTask | None:
        """The official samples of a task; None for an unknown task (missing data raises)."""
        if name not in self._tasks:
            spec = load_registry().tasks.get(name)
            if spec is None:
                self._tasks[name] = None
            else:
                loaded = load_task(spec, data_root=self.data_root, seed=self.seed)
                samples = loaded.samples
                self._video_roots[name] = loaded.video_root
                self._tasks[name] = ReferenceTask(
                    spec.version, spec.family, samples, samples_digest(samples), spec.prompt
                )
        return self._tasks[name]

    def judge(self, name: str):
        return _deterministic_judge(name)

    def video_root(self, name: str) -> Path | None:
        """Where a task's videos are here: `--video-root`, else the task's own (the synthetic
        split renders its videos); None when neither is on this machine."""
        if self.task(name) is None:
            return None
        root = self.videos or self._video_roots.get(name)
        return Path(root) if root and Path(root).is_dir() else None


@cache
def _deterministic_judge(name: str):
    """The judge of that id when it is deterministic (the rules judge, with its SBERT model), or
    None for judges that call an API (their judgments are taken as recorded)."""
    from benchmark.scorers import JudgeSpec, load_judge

    try:
        spec = JudgeSpec.parse(name)
    except UsageError:
        return None
    return load_judge(spec) if spec.info.deterministic else None
