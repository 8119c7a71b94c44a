"""`python -m benchmark.cli` is the `refusal-bench` command, as before the package split."""

import sys

from benchmark.cli import main

sys.exit(main())
