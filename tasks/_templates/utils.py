"""The `!function` targets of every task YAML: thin re-exports of `benchmark.lmeval_tasks`."""

from benchmark.lmeval_tasks import doc_to_target, doc_to_text, doc_to_visual, load_dataset

__all__ = ["doc_to_target", "doc_to_text", "doc_to_visual", "load_dataset"]
