"""The reference registry and the citation helpers."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import unquote

import matplotlib

matplotlib.use("Agg")

import pytest

import course_utils as cu
from course_utils import references as refs
from course_utils.references import CITATION_PATTERN, Reference

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_01 = REPO / "notebooks" / "01_how_massage_works.ipynb"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
DATA = REPO / "course_utils" / "data" / "references.json"
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@pytest.mark.parametrize("key", sorted(cu.REFERENCES))
def test_entry_is_complete(key):
    ref = cu.REFERENCES[key]
    assert isinstance(ref, Reference)
    assert ref.key == key
    assert isinstance(ref.authors, str)
    assert ref.year is None or (isinstance(ref.year, int) and 1800 <= ref.year <= 2026)
    assert isinstance(ref.title, str) and ref.title.strip()
    assert ref.authors.strip() or ref.doi or ref.url, f"{key}: without authors it needs a DOI or a link"
    if ref.doi:
        assert DOI.match(ref.doi), f"{key}: DOI {ref.doi!r} should look like 10.xxxx/..."
        assert not ref.doi.startswith("http")
    if ref.url:
        assert ref.url.startswith("https://"), f"{key}: url should be an https link"


def test_keys_are_valid_anchor_names():
    for key in cu.REFERENCES:
        assert re.fullmatch(r"[A-Za-z0-9_]+", key), f"{key!r} cannot be cited with the #ref-KEY pattern"


def test_get_reference_known_and_unknown():
    assert cu.get_reference("wiltshire2010").year == 2010
    with pytest.raises(ValueError, match="nosuchkey1999"):
        cu.get_reference("nosuchkey1999")
    with pytest.raises(TypeError, match="key"):
        cu.get_reference(2010)


def test_find_citations_in_order_without_repeats():
    text = ("As shown [Löken 2009](#ref-loken2009), and later [Hinds](#ref-hinds2004); see again "
            "[Löken](#ref-loken2009) and [Wiltshire 2010](#ref-wiltshire2010).")
    assert cu.find_citations(text) == ["loken2009", "hinds2004", "wiltshire2010"]


def test_find_citations_ignores_text_without_links():
    assert cu.find_citations("loken2009 is mentioned but not linked; #ref-loken2009 alone is not a link.") == []


def test_find_citations_refuses_unknown_key_and_non_text():
    with pytest.raises(ValueError, match="nosuchkey"):
        cu.find_citations("[X](#ref-nosuchkey)")
    with pytest.raises(TypeError, match="text"):
        cu.find_citations(["[X](#ref-loken2009)"])


def test_references_markdown_numbers_and_anchors_entries():
    keys = ["wiltshire2010", "loken2009", "johnson1985"]
    lines = cu.references_markdown(keys).splitlines()
    assert len(lines) == 3
    for i, (line, key) in enumerate(zip(lines, keys, strict=True), 1):
        assert line.startswith(f'{i}. <a id="ref-{key}"></a>')
        assert cu.REFERENCES[key].authors in line
        assert str(cu.REFERENCES[key].year) in line
    assert "https://doi.org/10.1249/MSS.0b013e3181c9214f" in lines[0]


def test_references_markdown_anchor_matches_citation_link():
    md = cu.references_markdown(["loken2009"])
    anchor = re.search(r'<a id="([^"]+)"></a>', md).group(1)
    assert CITATION_PATTERN.findall(f"[Löken 2009](#{anchor})") == ["loken2009"]


def test_references_markdown_empty_and_bad():
    assert "cites no sources" in cu.references_markdown([])
    with pytest.raises(ValueError, match="nosuchkey"):
        cu.references_markdown(["nosuchkey"])
    with pytest.raises(TypeError, match="keys"):
        cu.references_markdown("loken2009")


def test_format_reference_styles():
    ref = cu.get_reference("loken2009")
    md = cu.format_reference(ref)
    text = cu.format_reference(ref, style="text")
    assert md.startswith("Löken LS, Wessberg J, Morrison I, McGlone F, Olausson H (2009). ")
    assert "[doi:10.1038/nn.2312](https://doi.org/10.1038/nn.2312)" in md
    assert "doi:10.1038/nn.2312" in text and "](" not in text
    with pytest.raises(ValueError, match="style"):
        cu.format_reference(ref, style="html")


def test_format_reference_uses_url_when_no_doi():
    ref = cu.get_reference("konrad2020")
    assert not ref.doi
    assert f"<{ref.url}>" in cu.format_reference(ref)


def test_notebook_citations_of_notebook_01():
    keys = cu.notebook_citations(NOTEBOOK_01)
    assert "wiltshire2010" in keys
    assert len(keys) == len(set(keys))
    assert set(keys) <= set(cu.REFERENCES)
    assert cu.notebook_citations(str(NOTEBOOK_01)) == keys


def test_notebook_citations_refuses_missing_file_and_non_path(tmp_path):
    with pytest.raises(ValueError, match="path"):
        cu.notebook_citations(tmp_path / "missing.ipynb")
    with pytest.raises(TypeError, match="path"):
        cu.notebook_citations(None)


# --------------------------------------------------------------------------------------------- the data file

CSL_TYPES = {"article-journal", "book", "chapter", "standard", "legislation", "webpage", "manuscript", "report"}
CSL_FIELDS = {"id", "type", "author", "issued", "title", "container-title", "volume", "issue", "page", "DOI", "URL",
              "PMID", "PMCID", "note", "publisher", "publisher-place"}


def test_data_file_is_csl_json_for_the_fields_used():
    items = json.loads(DATA.read_text(encoding="utf-8"))
    assert isinstance(items, list) and items
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "CSL ids must be unique"
    for item in items:
        key = item["id"]
        assert set(item) <= CSL_FIELDS, f"{key}: fields outside the CSL-JSON subset used: {set(item) - CSL_FIELDS}"
        assert item["type"] in CSL_TYPES, f"{key}: type {item['type']!r}"
        for name in item.get("author", []):
            assert set(name) in ({"family", "given"}, {"family"}, {"literal"}), f"{key}: author {name}"
            assert all(isinstance(v, str) and v.strip() for v in name.values())
        if "issued" in item:
            parts = item["issued"]["date-parts"]
            assert isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0][0], int), key
        for field in ("title", "container-title", "volume", "issue", "page", "note", "PMID", "PMCID", "URL"):
            assert field not in item or (isinstance(item[field], str) and item[field].strip()), f"{key}: {field}"
        assert "PMID" not in item or item["PMID"].isdigit()
        assert "PMCID" not in item or re.fullmatch(r"PMC\d+", item["PMCID"])
        assert "DOI" not in item or DOI.match(item["DOI"])
        assert "URL" not in item or item["URL"].startswith("https://")


def test_data_file_ships_with_the_package():
    from importlib import resources

    assert resources.files("course_utils").joinpath("data", "references.json").is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'course_utils = ["data/*.json"]' in pyproject


# --------------------------------------------------------------------------------------------- no placeholder

PLACEHOLDER = re.compile(r"not recorded|not checked|title not|\[authors|and colleagues", re.IGNORECASE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_placeholder_in_any_generated_reference_list(path):
    keys = cu.notebook_citations(path)
    md = cu.references_markdown(keys, refs._citation_sections(path))
    assert not PLACEHOLDER.search(md), PLACEHOLDER.search(md)
    for key in keys:
        ref = cu.get_reference(key)
        assert not ref.title.lstrip().startswith("["), f"{key}: a bracketed description is not a title"
        assert not ref.authors.lstrip().startswith("["), f"{key}: authors {ref.authors!r}"
        assert ref.title.strip(), f"{key}: no title"
        assert ref.authors.strip() or ref.doi or ref.url, f"{key}: neither authors nor a DOI or link"
        # A year, unless the entry says why there is none (undated teaching material, or an article whose
        # record could not be confirmed; such entries are cited by a stable link).
        assert ref.year is not None or re.search(r"year|undated", ref.note, re.IGNORECASE), \
            f"{key}: no year and no reason given"
        if ref.title.startswith("Article in PubMed Central"):
            assert ref.url and "could not confirm" in ref.note, f"{key}: cited by identifier without saying why"


def test_entries_cited_without_authors_say_so():
    for key, ref in cu.REFERENCES.items():
        if not ref.authors and ref.doi:
            assert "could not confirm" in ref.note, f"{key}: authors missing without a word why"


# --------------------------------------------------------------------------------------------- checked entries


@pytest.mark.parametrize(("key", "authors", "venue", "doi"), [
    ("burns2017", "Ye H, De S", "Burns 43:909–932", "10.1016/j.burns.2016.11.014"),
    ("mld_meta2020", "Liang M, Chen Q, Peng K, et al.", "Medicine 99(49):e23192", "10.1097/MD.0000000000023192"),
    ("percussion_review2023", "Sams L, Langdown BL, Simons J, Vseteckova J", "Int J Sports Phys Ther 18(2):309–327",
     "10.26603/001c.73795"),
    ("percussion_flow2023", "Needs D, Blotter J, Cowan M, Fellingham G, Johnson AW, Feland JB",
     "J Clin Med 12(5):2047", "10.3390/jcm12052047"),
    ("mahbub2020", "Mahbub MH, Hase R, Yamaguchi N, et al.", "Int J Environ Res Public Health 17(3):1069",
     "10.3390/ijerph17031069"),
    ("zaidell2013", "Zaidell LN, Mileva KN, Sumners DP, Bowtell JL", "PLoS One 8(12):e85247",
     "10.1371/journal.pone.0085247"),
    ("greene2024", "Greene DR, Ruiz-Ramie JJ, Craig-Jones A", "Muscles 3(2):166–176", "10.3390/muscles3020015"),
    ("veijgen2013", "Veijgen NK, Masen MA, van der Heide E", "Tribol Lett 49(1):251–262", "10.1007/s11249-012-0062-1"),
    ("massage_lactate1993", "", "J Strength Cond Res 7(3):159–162", "10.1519/00124278-199308000-00006"),
    ("wbv_hreflex2018", "", "Hum Mov Sci 62:34–40", "10.1016/j.humov.2018.09.002"),
])
def test_entries_agree_with_the_published_records(key, authors, venue, doi):
    """Authors, volume and pages as the publishers' and PubMed records give them (see the verification log)."""
    ref = cu.get_reference(key)
    assert (ref.authors, ref.venue, ref.doi) == (authors, venue, doi)


def test_old_key_for_the_2013_plos_one_study_still_works_and_names_its_real_authors():
    old, new = cu.get_reference("ritzmann2013"), cu.get_reference("zaidell2013")
    assert old.key == "ritzmann2013" and new.key == "zaidell2013"
    assert old.authors == new.authors and old.doi == new.doi == "10.1371/journal.pone.0085247"
    assert "Ritzmann" not in cu.format_reference(old)


def test_mahbub_entry_says_the_skin_was_on_the_foot():
    assert "foot" in cu.get_reference("mahbub2020").note


def test_long_author_lists_are_cut_to_three_and_et_al():
    assert cu.get_reference("huang2013").authors == "Huang TW, Tseng SH, Lin CC, et al."
    assert cu.get_reference("loken2009").authors.count(",") == 4  # five authors are all listed


def test_unknown_year_is_shown_as_nd_and_missing_authors_lead_with_the_title():
    assert "(n.d.)" in cu.format_reference(cu.get_reference("russian_vibration"))
    line = cu.format_reference(cu.get_reference("wbv_hreflex2018"))
    assert line.startswith("Whole body vibration of different frequencies inhibits H-reflex but does not affect "
                           "voluntary activation (2018). Hum Mov Sci 62:34–40.")


# --------------------------------------------------------------------------------------------- back links


def _write_notebook(tmp_path, cells: list[str]) -> Path:
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": c} for c in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_heading_text_and_anchor_follow_jupyterlab():
    assert refs._heading_text("3 · Does *deep* stroking carry [waste](#x) `away`?") == \
        "3 · Does deep stroking carry waste away?"
    # JupyterLab: the heading's textContent with every space replaced by "-"; nbconvert (Voila) does the same
    anchor = refs._heading_anchor("3 · Does deep stroking carry waste away?")
    assert anchor == "3-·-Does-deep-stroking-carry-waste-away?"


def test_citation_sections_nearest_unique_heading(tmp_path):
    path = _write_notebook(tmp_path, [
        "# Title\nIntro [L](#ref-loken2009).",
        "## 1 · First\nText [H](#ref-hinds2004).\n### Try this\nAgain [L](#ref-loken2009).",
        "## 2 · Second\n### Try this\n[W](#ref-wiltshire2010) and [L](#ref-loken2009).",
        "```\n# not a heading [M](#ref-moyer2011)\n```",
    ])
    sections = refs._citation_sections(path)
    # "Try this" occurs twice, so its section is named by the enclosing unique heading
    assert sections == {"loken2009": ["Title", "1 · First", "2 · Second"], "hinds2004": ["1 · First"],
                        "wiltshire2010": ["2 · Second"], "moyer2011": ["2 · Second"]}


def test_citation_before_any_heading_gets_no_back_link(tmp_path):
    path = _write_notebook(tmp_path, ["Text [L](#ref-loken2009).", "## 1 · A"])
    assert refs._citation_sections(path) == {"loken2009": []}
    md = cu.references_markdown(["loken2009"], refs._citation_sections(path))
    assert refs._BACK not in md


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if cu.notebook_citations(p)], ids=lambda p: p.name)
def test_every_entry_links_back_to_a_heading_of_its_notebook(path):
    sections = refs._citation_sections(path)
    lines = cu.references_markdown(cu.notebook_citations(path), sections).splitlines()
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    headings = [refs._heading_text(m.group(2)) for c in cells if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if (m := refs._HEADING.match(line))]
    anchors = [refs._heading_anchor(h) for h in headings]
    for line in lines:
        key = re.search(r'id="ref-([^"]+)"', line).group(1)
        targets = [unquote(html.unescape(t)) for t in re.findall(r'<a href="#([^"]+)"', line)]
        assert targets, f"{path.name}: entry {key} has no link back to the text"
        assert refs._BACK in line
        assert line.count(' onclick="') == len(targets), "each back link carries its click handler (JupyterLab)"
        for target in targets:
            assert anchors.count(target) == 1, f"{path.name}: {key} links to {target!r}, not one unique heading"


def test_references_markdown_refuses_bad_sections():
    with pytest.raises(TypeError, match="sections"):
        cu.references_markdown(["loken2009"], sections=["1 · A"])
    with pytest.raises(TypeError, match="sections"):
        cu.references_markdown(["loken2009"], sections={"loken2009": "1 · A"})
    with pytest.raises(TypeError, match="sections"):
        cu.references_markdown(["loken2009"], sections={"loken2009": [""]})


def test_show_references_shows_back_links(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    cu.show_references(REPO / "notebooks" / "05_kneading.ipynb")
    assert len(shown) == 1 and refs._BACK in shown[0].data


# --------------------------------------------------------------------------------------------- in a browser

# Where the heading a back link points to now sits on screen: its own id (Voila) or data-jupyter-id (JupyterLab).
_HEADING_TOP_JS = """(href) => {
    const raw = href.slice(1), text = decodeURIComponent(raw);
    const h = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).find(
        e => e.getAttribute('data-jupyter-id') === text || e.id === raw || e.id === text);
    return h ? h.getBoundingClientRect().top : null;
}"""


def _click_back_links(page, count: int = 3) -> list[tuple[str, float]]:
    """Click the first ``count`` back links of the reference list; where each target heading ends up (px)."""
    import time

    page.wait_for_selector(f"text={refs._BACK}", timeout=180_000)
    links = page.locator("li a[onclick]")
    tops = []
    for i in range(min(count, links.count())):
        link = links.nth(i)
        href = link.get_attribute("href")
        link.scroll_into_view_if_needed()
        assert page.evaluate(_HEADING_TOP_JS, href) < 0, "the heading should start out above the screen"
        link.click()
        time.sleep(0.8)
        tops.append((href, page.evaluate(_HEADING_TOP_JS, href)))
    return tops


@pytest.mark.browser
@pytest.mark.timeout(400)
def test_back_links_scroll_to_their_heading_in_jupyterlab():
    from .conftest import require_browser

    require_browser()
    from .lab_harness import Lab

    with Lab(["05_kneading.ipynb"]) as lab:
        lab.open_notebook("05_kneading.ipynb")
        lab.run_all()
        tops = _click_back_links(lab.page)
        assert len(tops) == 3
        for href, top in tops:  # the heading is now at the top of the notebook panel, below the toolbar
            assert top is not None and 0 <= top < 250, f"{href}: heading at {top} px"
        lab.assert_no_errors()


@pytest.mark.browser
@pytest.mark.timeout(400)
def test_back_links_scroll_to_their_heading_in_voila(tmp_path):
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from .conftest import require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    from .lab_harness import CHROMIUM, CHROMIUM_ARGS

    shutil.copytree(REPO / "notebooks", tmp_path / "notebooks")
    shutil.copytree(REPO / "images", tmp_path / "images")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path / "voila.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "voila", "notebooks/05_kneading.ipynb", "--no-browser",
                               f"--port={port}", "--Voila.ip=127.0.0.1", "--ServerApp.allow_root=True"],
                              cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "Voila did not start"
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.goto(f"http://127.0.0.1:{port}/", timeout=180_000)
                tops = _click_back_links(page)
                assert len(tops) == 3
                for href, top in tops:
                    assert top is not None and 0 <= top < 100, f"{href}: heading at {top} px"
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
