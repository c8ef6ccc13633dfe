"""The reference registry and the citation helpers."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest

import course_utils as cu
from course_utils.references import CITATION_PATTERN, Reference

NOTEBOOK_01 = Path(__file__).resolve().parents[1] / "notebooks" / "01_how_massage_works.ipynb"
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@pytest.mark.parametrize("key", sorted(cu.REFERENCES))
def test_entry_is_complete(key):
    ref = cu.REFERENCES[key]
    assert isinstance(ref, Reference)
    assert ref.key == key
    assert isinstance(ref.authors, str) and ref.authors.strip()
    assert isinstance(ref.year, int) and 1800 <= ref.year <= 2026
    assert isinstance(ref.title, str) and ref.title.strip()
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
    ref = cu.get_reference("mld_meta2020")
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
