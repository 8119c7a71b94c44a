"""`python -m benchmark` is the `refusal-bench` command."""

import sys

from benchmark.cli import main

sys.exit(main())
