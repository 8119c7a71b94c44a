"""The built site in a real browser: Debian's chromium, headless, driven by Playwright."""

from __future__ import annotations

import shutil

import pytest
from reference_runs import reference_runs

from benchmark.official import OfficialReference
from leaderboard.site import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    runs = reference_runs(tmp_path_factory.mktemp("runs"), "synth_hivtg,synth_qa", bootstrap=50)
    out = tmp_path_factory.mktemp("site")
    build_site(sorted(runs.iterdir()), out, OfficialReference(), progress=False)
    return out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def column_models(page, board_id):
    return page.locator(f"#{board_id} table.board tbody td.model").all_inner_texts()


def test_sorting_a_table_in_place(site, page, tmp_path):
    page.goto((site / "index.html").as_uri())
    board = "synth_hivtg--rules_sbert_none"
    before = column_models(page, board)
    assert before[0] == "random"  # sorted by F1_avg by default (random refuses half the time)
    page.locator(f"#{board} th[data-metric='f1_irrel'] a.sort").click()
    after = column_models(page, board)
    assert after[0] == "always-refuse"
    # sorted in place (no navigation), the sort state in the URL
    assert page.url.endswith(f"index.html#sort={board}~f1_irrel~best")
    linked = page.url
    page.locator(f"#{board} th[data-metric='f1_rel'] a.sort").click()
    assert column_models(page, board)[0] == "always-answer"
    page.goto(linked)  # a linked sort applies itself on load
    page.reload()
    assert column_models(page, board)[0] == "always-refuse"
    assert page.locator(f"#{board} th.sorted").get_attribute("data-metric") == "f1_irrel"
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
    assert (tmp_path / "index.png").stat().st_size > 10_000


def test_sorting_works_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    page.locator("#synth_hivtg--rules_sbert_none th[data-metric='f1_irrel'] a.sort").click()
    assert page.url.endswith("boards/synth_hivtg--rules_sbert_none--f1_irrel.html")
    assert page.locator("table.board tbody td.model").first.inner_text() == "always-refuse"
    context.close()


def test_model_page_and_sample_browser(site, page, tmp_path):
    page.goto((site / "index.html").as_uri())
    page.locator("#synth_qa--rules_sbert_none td.model a", has_text="random").first.click()
    assert page.url.endswith("models/random.html")
    assert page.locator("h1.model-name").inner_text() == "random"
    assert page.locator("text=By difficulty").count() == 1
    page.locator("#synth_hivtg a.samples-link").click()
    page.wait_for_selector("#sample-table tbody tr")
    assert "286 samples match; showing 100." in page.locator("#sample-count").inner_text()
    page.select_option("#verdict-select", "irrelevant")
    rows = page.locator("#sample-table tbody tr")
    assert rows.count() > 0
    assert set(rows.evaluate_all("rows => rows.map(r => r.getAttribute('data-verdict'))")) == {
        "irrelevant"
    }
    matching = int(page.locator("#sample-count").inner_text().split()[0])
    assert rows.count() == min(matching, 100)
    if matching > 100:  # the rest loads on demand
        page.locator("#more-samples").click()
        assert rows.count() == min(matching, 200)
    page.screenshot(path=str(tmp_path / "samples.png"))
    assert (tmp_path / "samples.png").stat().st_size > 10_000


def rendered_label_boxes(page) -> list[list[float]]:
    """Each Pareto label's box as the browser lays it out, in page coordinates."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.pareto text.label')).map(t => {
             const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )


def test_pareto_plots_are_titled_legible_and_on_every_board_page(site, page):
    for url in ("index.html", "boards/synth_hivtg--rules_sbert_none--f1_avg.html"):
        page.goto((site / url).as_uri())
        plots = page.locator("svg.pareto")
        assert plots.count() >= 2, url  # both views of the grounding board
        titles = plots.locator("text.title").all_text_contents()
        assert "synth_hivtg: F1 relevant against F1 irrelevant" in titles, url
        assert plots.first.locator("text.legend").all_text_contents()[:2] == [
            "on the Pareto front", "dominated"]  # fmt: skip
        boxes = rendered_label_boxes(page)
        assert boxes and not [
            (a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]
            if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
        ], url  # fmt: skip
    # a point links to its model page from the board page too (one folder down)
    page.locator("svg.pareto a").first.click()
    assert "/models/" in page.url and page.locator("h1.model-name").count() == 1


def test_sample_browser_marks_verdicts_draws_spans_compares_and_links(site, page, tmp_path):
    page.goto((site / "samples.html").as_uri() + "#random/synth_hivtg")
    page.wait_for_selector("#sample-table tbody tr")
    rows = page.locator("#sample-table tbody tr")
    first = rows.first
    assert "moment" in first.locator("td.gold").inner_text()  # gold as words, not JSON
    assert first.locator(".timeline .gold-span").count() == 1  # where the gold moment falls
    marks = set(rows.locator("td.verdict").evaluate_all("cells => cells.map(c => c.className)"))
    assert {"verdict right", "verdict wrong"} <= marks  # random is right on some, wrong on others
    predicted = page.locator("#sample-table tbody tr td.response .pred-span")
    assert predicted.count() > 0  # predicted spans drawn where the model gave one
    # side by side with another submission on the same task, then only where they disagree
    page.select_option("#other-select", "always-refuse/synth_hivtg")
    page.wait_for_selector("#sample-table.compare td.other")  # its rows load on demand
    assert page.locator("#sample-table th.other").first.is_visible()
    total = int(page.locator("#sample-count").inner_text().split()[0])
    marked = rows.locator("xpath=self::tr[contains(@class, 'disagree')]").count()
    assert 0 < marked < rows.count()  # only the rows where the two verdicts differ are marked
    page.check("#disagree-only")
    disagreeing = int(page.locator("#sample-count").inner_text().split()[0])
    assert 0 < disagreeing < total
    assert rows.count() == rows.locator("xpath=self::tr[contains(@class, 'disagree')]").count()
    # a permalink per sample: the link shows that sample alone, also when opened afresh
    link = rows.first.locator("a.permalink")
    sample_id = link.inner_text()
    link.click()
    assert page.url.endswith("@" + sample_id.replace("#", "%23"))
    page.reload()
    page.wait_for_selector("#sample-table tbody tr")
    assert rows.count() == 1 and rows.first.locator("a.permalink").inner_text() == sample_id
    page.screenshot(path=str(tmp_path / "samples.png"), full_page=True)


def test_phone_width_pages_do_not_run_off_the_screen(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for url in ("index.html", "boards/synth_hivtg--rules_sbert_none--f1_avg.html",
                "models/random.html", "samples.html#random/synth_qa", "glossary.html"):  # fmt: skip
        path, _, fragment = url.partition("#")
        page.goto((site / path).as_uri() + (f"#{fragment}" if fragment else ""))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 392, (url, width)  # wide tables scroll inside themselves
    context.close()


def test_sample_browser_shows_the_frames_of_the_synthetic_videos(site, page):
    """The synthetic split's videos are here at build time: each sample gets a strip of its
    video's frames, stored beside the page, with their times."""
    strips = sorted((site / "data" / "frames").glob("*.jpg"))
    assert strips
    from PIL import Image

    with Image.open(strips[0]) as image:
        assert image.height == 72 and image.width > 6 * 50
    page.goto((site / "samples.html").as_uri() + "#random/synth_hivtg")
    page.wait_for_selector("#sample-table tbody tr .strip img")
    image = page.locator("#sample-table tbody tr .strip img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    times = page.locator("#sample-table tbody tr .strip .times").first.inner_text()
    assert times.endswith(" s") and times.count("·") == 5  # six frames, each with its time


def test_without_javascript_every_board_view_still_works(site, browser):
    """No JavaScript: headers name and define metrics (the glossary link lands on the entry),
    pre-sorted pages show the shared places, plots and downloads are plain markup."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    board = "#synth_hivtg--rules_sbert_none"
    assert (
        page.locator(f"{board} th[data-metric='f1_irrel'] a.sort").inner_text() == "F1 irrelevant"
    )
    assert page.locator(f"{board} svg.pareto").count() >= 2
    href = page.locator(f"{board} a[download]").first.get_attribute("href")
    assert href.endswith("synth_hivtg--rules_sbert_none.csv") and (site / href).is_file()
    page.locator(f"{board} th[data-metric='f1_irrel'] a.define").click()
    assert page.url.endswith("glossary.html#grounding-f1_irrel")
    assert page.locator("#grounding-f1_irrel").is_visible()
    page.goto((site / "boards" / "synth_hivtg--rules_sbert_none--f1_avg.html").as_uri())
    ranks = page.locator("table.board tbody td.rank").all_inner_texts()
    # random first; always-answer and always-refuse (F1 avg 1/3 each) share the next place
    assert ranks == ["1", "2", "2"]
    page.goto((site / "samples.html").as_uri())
    assert "needs JavaScript" in page.content()  # says where the per-sample data is instead
    context.close()
