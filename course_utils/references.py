"""The course's reference registry.

The sources live as data, not code: ``course_utils/data/references.json`` is a CSL-JSON list (the format Zotero,
Pandoc and citeproc read and write), one item per source with ``id`` (the citation key), ``type``, ``author``,
``issued``, ``title``, ``container-title``, ``volume``, ``issue``, ``page``, ``DOI``, ``URL``, ``PMID``/``PMCID``
and ``note``. It is read once, at import, into :data:`REFERENCES`. To add a source, add an item to that file.

Notebooks cite a source by key with a Markdown link to its anchor, ``[Löken 2009](#ref-loken2009)``; the
notebook's reference list is generated from the keys its text cites, in order of first citation, by
:func:`show_references`. An unknown key is an error, so a typo cannot silently produce a wrong list.

Entries give what was checked for the course (see ``shared/course/science.md``): authors, year, venue, and a
DOI or PubMed/PMC identifier where one was confirmed. Where only part of a citation was confirmed, the entry says
so in ``note`` rather than guess the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .validation import check_choice

__all__ = ["Reference", "REFERENCES", "get_reference", "format_reference", "find_citations", "notebook_citations",
           "references_markdown", "show_references"]


@dataclass(frozen=True)
class Reference:
    """One source.

    Attributes:
        key: Short citation key, e.g. ``"loken2009"``.
        authors: Authors as usually cited (``"Löken LS, Wessberg J, …"``).
        year: Year of publication.
        title: Title, or a short description in square brackets where the title was not checked.
        venue: Journal, volume and pages, or the publisher.
        doi: DOI without the ``https://doi.org/`` prefix, if confirmed.
        url: Another stable link (PubMed Central, a standard's page), if there is no DOI.
        note: What a reader should know about this source's reliability.
    """

    key: str
    authors: str
    year: int
    title: str
    venue: str = ""
    doi: str = ""
    url: str = ""
    note: str = ""


_DATA = "references.json"
"""The registry's data file in ``course_utils/data/``: CSL-JSON, the format Zotero, Pandoc and citeproc read."""

_MAX_AUTHORS = 6
"""Lists of more than this many authors are cut to the first three and "et al." (as in Vancouver style)."""


def _authors(names: list[dict]) -> str:
    def one(name: dict) -> str:
        if "literal" in name:
            return str(name["literal"])
        return f"{name['family']} {name.get('given', '')}".strip()

    shown = names if len(names) <= _MAX_AUTHORS else names[:3]
    text = ", ".join(one(n) for n in shown)
    return text + (", et al." if len(shown) < len(names) else "")


def _venue(item: dict) -> str:
    if item.get("container-title"):
        venue = str(item["container-title"])
        if item.get("volume"):
            venue += f" {item['volume']}"
            if item.get("issue"):
                venue += f"({item['issue']})"
        if item.get("page"):
            venue += f":{str(item['page']).replace('-', '–')}"
        return venue
    return ", ".join(str(item[k]) for k in ("publisher", "publisher-place") if item.get(k))


def _from_csl(item: dict) -> Reference:
    """Turn one CSL-JSON item into a :class:`Reference`."""
    url = item.get("URL", "")
    if not url and item.get("PMCID"):
        url = f"https://www.ncbi.nlm.nih.gov/pmc/articles/{item['PMCID']}/"
    if not url and item.get("PMID"):
        url = f"https://pubmed.ncbi.nlm.nih.gov/{item['PMID']}/"
    year = int(item["issued"]["date-parts"][0][0])
    return Reference(key=item["id"], authors=_authors(item.get("author", [])), year=year, title=item["title"],
                     venue=_venue(item), doi=item.get("DOI", ""), url=url, note=item.get("note", ""))


def load_csl() -> list[dict]:
    """Return the registry's raw CSL-JSON items (a list of dicts), as stored in ``course_utils/data``."""
    text = resources.files(__package__).joinpath("data", _DATA).read_text(encoding="utf-8")
    return json.loads(text)


REFERENCES: dict[str, Reference] = {item["id"]: _from_csl(item) for item in load_csl()}
"""Every source the course cites, by key, in the order of the data file."""


def get_reference(key: str) -> Reference:
    """Return the reference registered under ``key``.

    Raises:
        TypeError: If ``key`` is not a string.
        ValueError: If no reference has that key (the message lists near matches).
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a citation key string such as 'loken2009'; got {key!r:.60}.")
    if key not in REFERENCES:
        near = [k for k in REFERENCES if k[:4] == key[:4]] or sorted(REFERENCES)[:5]
        raise ValueError(f"Unknown citation key {key!r}. Known keys starting alike: {', '.join(near)}.")
    return REFERENCES[key]


def format_reference(ref: Reference, style: str = "markdown") -> str:
    """Format one reference as a line of Markdown (``style="markdown"``) or plain text (``"text"``)."""
    if not isinstance(ref, Reference):
        raise TypeError(f"ref must be a Reference (use get_reference('key')); got {ref!r:.60}.")
    style = check_choice("style", style, ["markdown", "text"])
    parts = [f"{ref.authors} ({ref.year}). {ref.title}."]
    if ref.venue:
        parts.append(f" {ref.venue}.")
    if ref.doi:
        link = f"https://doi.org/{ref.doi}"
        parts.append(f" [doi:{ref.doi}]({link})" if style == "markdown" else f" doi:{ref.doi}")
    elif ref.url:
        parts.append(f" <{ref.url}>" if style == "markdown" else f" {ref.url}")
    if ref.note:
        parts.append(f" *{ref.note}*" if style == "markdown" else f" ({ref.note})")
    return "".join(parts)


CITATION_PATTERN = re.compile(r"\]\(#ref-([A-Za-z0-9_]+)\)")
"""How notebooks cite: a Markdown link to the reference's anchor, e.g. ``[Löken 2009](#ref-loken2009)``."""


def find_citations(text: str) -> list[str]:
    """Return the citation keys in ``text``, in order of first appearance, without repeats.

    Raises:
        TypeError: If ``text`` is not a string.
        ValueError: If a cited key is not in the registry.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string of Markdown; got {type(text).__name__}.")
    keys: list[str] = []
    for key in CITATION_PATTERN.findall(text):
        get_reference(key)
        if key not in keys:
            keys.append(key)
    return keys


def notebook_citations(path: str | Path) -> list[str]:
    """Return the keys cited in the Markdown cells of the notebook at ``path`` (order of first citation)."""
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a notebook file name such as '01_how_massage_works.ipynb'; got {path!r:.60}.")
    nb_path = Path(path)
    if nb_path.suffix != ".ipynb" or not nb_path.is_file():
        raise ValueError(f"path must name an existing .ipynb file; {str(nb_path)!r} is not one "
                         f"(the current folder is {Path.cwd()}).")
    cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return find_citations(text)


def references_markdown(keys: list[str]) -> str:
    """Render ``keys`` as a numbered Markdown list with an anchor per entry, so in-text links jump to it."""
    if not isinstance(keys, (list, tuple)):
        raise TypeError(f"keys must be a list of citation keys; got {type(keys).__name__}.")
    if not keys:
        return "*(This notebook cites no sources.)*"
    lines = []
    for i, key in enumerate(keys, 1):
        if not isinstance(key, str):
            raise TypeError(f"keys must hold citation key strings such as 'loken2009'; got {key!r:.60}.")
        ref = get_reference(key)
        lines.append(f'{i}. <a id="ref-{key}"></a>{format_reference(ref)}')
    return "\n".join(lines)


def show_references(path: str | Path) -> None:
    """Display the reference list of the notebook at ``path``, generated from the keys its text cites."""
    from IPython.display import Markdown, display

    display(Markdown(references_markdown(notebook_citations(path))))
