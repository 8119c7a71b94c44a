"""The README's screenshots of the leaderboard: the index and the sample browser, in headless
Chromium, of a site built from the reference models on the synthetic split.

    python scripts/site_screenshots.py [--out docs]     # docs/site-index.png, docs/site-samples.png
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmark.official import OfficialReference
from benchmark.runner import RunConfig, run
from leaderboard.site import build_site

MODELS = {"always-answer": {}, "always-refuse": {}, "random": {"p_refuse": "0.5"}}
TASKS = "synth_hivtg,synth_qa,synth_uvqa"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is not installed: sh scripts/ensure-chromium.sh")
    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        for model, model_args in MODELS.items():
            run(RunConfig(model=model, model_args=model_args, tasks=TASKS, output=runs / model,
                          sbert="none", progress=False, bootstrap=200))  # fmt: skip
        site = Path(tmp) / "site"
        build_site(sorted(runs.iterdir()), site, OfficialReference(), progress=False)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto((site / "index.html").as_uri())
            page.screenshot(path=str(args.out / "site-index.png"))
            page.goto((site / "samples.html").as_uri() + "#random/synth_hivtg")
            page.wait_for_selector("#sample-table tbody tr")
            page.select_option("#other-select", "always-refuse/synth_hivtg")
            page.wait_for_selector("#sample-table.compare td.other")
            page.screenshot(path=str(args.out / "site-samples.png"))
            browser.close()
    print(f"wrote {args.out / 'site-index.png'} and {args.out / 'site-samples.png'}")


if __name__ == "__main__":
    main()
