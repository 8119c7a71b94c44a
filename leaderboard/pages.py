"""Writing the site's files: pages whose inputs did not change are not rendered again, and what
a build did not write or keep is removed from the folders it owns.

A page written with `write_once` is remembered in `.cache/pages.json` by a digest of what it is
rendered from (its data, the templates, the code): a rebuild that only adds a submission renders
that submission's page and the boards it is on, not the other 200 model pages.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from leaderboard.cache import code_digest

MEMO = ".cache/pages.json"


class Pages:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.current: set[str] = set()
        self._memo = _read(out / MEMO)
        self._written: dict[str, str] = {}

    def write(self, relative: str, text: str) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.current.add(relative)
        self._memo.pop(relative, None)

    def write_once(self, relative: str, data: Any, render: Callable[[], str]) -> None:
        """Write `render()` unless the page on disk was rendered from the same `data`."""
        key = hashlib.sha256(
            (_templates_digest() + json.dumps(data, sort_keys=True, default=str)).encode()
        ).hexdigest()
        if self._memo.get(relative) == key and (self.out / relative).is_file():
            self.current.add(relative)
            self._written[relative] = key
            return
        self.write(relative, render())
        self._written[relative] = key

    def keep(self, *relatives: str) -> None:
        self.current.update(relatives)

    def prune(self, *folders: str) -> None:
        for folder in folders:
            for path in sorted((self.out / folder).rglob("*"), reverse=True):  # files first
                relative = path.relative_to(self.out)
                if any(p.as_posix() in self.current for p in (relative, *relative.parents)):
                    continue
                if not path.is_dir():
                    path.unlink()
                elif not any(path.iterdir()):
                    path.rmdir()

    def save(self) -> None:
        """Remember the pages `write_once` wrote or kept (the others are gone or rewritten)."""
        path = self.out / MEMO
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".pages.{os.getpid()}.partial")
        partial.write_text(json.dumps(self._written), encoding="utf-8")
        partial.replace(path)


_TEMPLATES: list[str] = []


def _templates_digest() -> str:
    """The code and every template and static file: a change to any re-renders every page."""
    if not _TEMPLATES:
        digest = hashlib.sha256(code_digest().encode())
        for folder in ("templates", "static"):
            for item in sorted(resources.files("leaderboard").joinpath(folder).iterdir(),
                               key=lambda p: p.name):  # fmt: skip
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
        _TEMPLATES.append(digest.hexdigest())
    return _TEMPLATES[0]


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
