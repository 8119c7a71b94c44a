"""Dataset construction: UVQA-style and HI-VTG-style splits from annotated videos (see builders)."""

from benchmark.construct.builders import (
    build_hivtg_llm,
    build_hivtg_rules,
    build_uvqa_llm,
    build_uvqa_rules,
)
from benchmark.construct.gates import GateReport, Gates

__all__ = [
    "GateReport",
    "Gates",
    "build_hivtg_llm",
    "build_hivtg_rules",
    "build_uvqa_llm",
    "build_uvqa_rules",
]
