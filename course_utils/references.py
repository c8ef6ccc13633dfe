"""The course's reference registry.

The sources live as data, not code: ``course_utils/data/references.json`` is a CSL-JSON list (the format Zotero,
Pandoc and citeproc read and write), one item per source with ``id`` (the citation key), ``type``, ``author``,
``issued``, ``title``, ``container-title``, ``volume``, ``issue``, ``page``, ``DOI``, ``URL``, ``PMID``/``PMCID``
and ``note``. It is read once, at import, into :data:`REFERENCES`. To add a source, add an item to that file.

Notebooks cite a source by key with a Markdown link to its anchor, ``[Löken 2009](#ref-loken2009)``; the
notebook's reference list is generated from the keys its text cites, in order of first citation, by
:func:`show_references`. An unknown key is an error, so a typo cannot silently produce a wrong list. Each entry of
the list ends with links back to the sections of the notebook that cite it (a heading's anchor is its text with
spaces replaced by ``-``, in JupyterLab and in Voila alike).

Entries give only what was confirmed for the course: an item has no ``author`` when the authors could not be
confirmed (it is then cited by title), no ``issued`` when its year is unknown (shown as "n.d."), and says so in
``note``. Nothing is filled in by guess.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from .validation import check_choice

__all__ = ["Reference", "REFERENCES", "get_reference", "format_reference", "find_citations", "notebook_citations",
           "references_markdown", "show_references"]


@dataclass(frozen=True)
class Reference:
    """One source.

    Attributes:
        key: Short citation key, e.g. ``"loken2009"``.
        authors: Authors as usually cited (``"Löken LS, Wessberg J, …"``); empty where they could not be
            confirmed.
        year: Year of publication, or ``None`` where it is unknown (shown as "n.d.").
        title: Title as published; empty only where it could not be confirmed (the entry is then cited by its
            PubMed Central or DOI identifier).
        venue: Journal, volume and pages, or the publisher.
        doi: DOI without the ``https://doi.org/`` prefix, if confirmed.
        url: Another stable link (PubMed Central, a standard's page), if there is no DOI.
        note: What a reader should know about this source's reliability.
    """

    key: str
    authors: str
    year: int | None
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


def _from_csl(item: dict, key: str | None = None) -> Reference:
    """Turn one CSL-JSON item into a :class:`Reference` (registered under ``key``, by default its ``id``)."""
    url = item.get("URL", "")
    if not url and item.get("PMCID"):
        url = f"https://www.ncbi.nlm.nih.gov/pmc/articles/{item['PMCID']}/"
    if not url and item.get("PMID"):
        url = f"https://pubmed.ncbi.nlm.nih.gov/{item['PMID']}/"
    issued = item.get("issued", {}).get("date-parts", [[None]])[0]
    year = int(issued[0]) if issued and issued[0] is not None else None
    title = item.get("title", "")
    if not title:  # cited by its identifier alone
        if item.get("PMCID"):
            title = f"Article in PubMed Central, {item['PMCID']}"
        elif item.get("DOI"):
            title = f"Article with DOI {item['DOI']}"
    return Reference(key=key or item["id"], authors=_authors(item.get("author", [])), year=year, title=title,
                     venue=_venue(item), doi=item.get("DOI", ""), url=url, note=item.get("note", ""))


def _load_csl() -> list[dict]:
    """Return the registry's raw CSL-JSON items (a list of dicts), as stored in ``course_utils/data``."""
    text = resources.files(__package__).joinpath("data", _DATA).read_text(encoding="utf-8")
    return json.loads(text)


_OLD_KEYS = {"ritzmann2013": "zaidell2013"}
"""Keys that notebooks may still cite after a source was found to be listed under the wrong name: old → right."""


def _registry() -> dict[str, Reference]:
    items = {item["id"]: item for item in _load_csl()}
    registry = {key: _from_csl(item) for key, item in items.items()}
    registry.update({old: _from_csl(items[new], key=old) for old, new in _OLD_KEYS.items()})
    return registry


REFERENCES: dict[str, Reference] = _registry()
"""Every source the course cites, by key, in the order of the data file (old keys kept for notebooks last)."""


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


def _sentence(text: str) -> str:
    """``text`` ending in one full stop (no extra one after ``?``, ``!`` or ``.``)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def format_reference(ref: Reference, style: str = "markdown") -> str:
    """Format one reference as a line of Markdown (``style="markdown"``) or plain text (``"text"``).

    Authors come first when they are known; otherwise the title leads. An unknown year is shown as "n.d.".
    """
    if not isinstance(ref, Reference):
        raise TypeError(f"ref must be a Reference (use get_reference('key')); got {ref!r:.60}.")
    style = check_choice("style", style, ["markdown", "text"])
    year = "n.d." if ref.year is None else str(ref.year)
    if ref.authors:
        parts = [f"{ref.authors} ({year}). {_sentence(ref.title)}"]
    else:
        parts = [f"{ref.title.strip().rstrip('.')} ({year})."]
    if ref.venue:
        parts.append(f" {_sentence(ref.venue)}")
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

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


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


def _markdown_cells(path: str | Path) -> list[str]:
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path must be a notebook file name such as '01_how_massage_works.ipynb'; got {path!r:.60}.")
    nb_path = Path(path)
    if nb_path.suffix != ".ipynb" or not nb_path.is_file():
        raise ValueError(f"path must name an existing .ipynb file; {str(nb_path)!r} is not one "
                         f"(the current folder is {Path.cwd()}).")
    cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def notebook_citations(path: str | Path) -> list[str]:
    """Return the keys cited in the Markdown cells of the notebook at ``path`` (order of first citation)."""
    return find_citations("\n".join(_markdown_cells(path)))


def _heading_text(markdown: str) -> str:
    """The text a reader sees in a Markdown heading's content (emphasis, code marks and link targets removed).

    This is the text JupyterLab and Voila turn into the heading's anchor (spaces replaced by ``-``).

    Example:
        >>> _heading_text("3 · Does *deep* stroking carry [waste](#x) away?")
        '3 · Does deep stroking carry waste away?'
    """
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be the text of a heading; got {type(markdown).__name__}.")
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # links and images keep their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML tags
    text = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)  # emphasis and code spans
    text = text.replace("\\", "")
    return text.strip()


def _heading_anchor(text: str) -> str:
    """The anchor JupyterLab and Voila give a heading whose visible text is ``text``: spaces become ``-``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a heading's visible text; got {type(text).__name__}.")
    return text.strip().replace(" ", "-")


def _anchor_href(anchor: str) -> str:
    """A link to ``anchor`` that works in JupyterLab and in Voila: ``#`` and the anchor, percent-encoded.

    JupyterLab treats a link as internal only if its ``href`` is exactly what the browser reports as the link's
    hash (non-ASCII letters such as "·" percent-encoded); Voila (nbconvert) stores heading ids percent-encoded
    the same way (``urllib.parse.quote`` with the characters a URL fragment allows left as they are).
    """
    return "#" + quote(anchor, safe="?/:@!$&'()*+,;=-._~")


def _headings_and_citations(path: str | Path) -> list[tuple[int, str] | str]:
    """The notebook's Markdown as a stream: ``(level, heading text)`` for each heading, a key for each citation."""
    stream: list[tuple[int, str] | str] = []
    in_fence = False
    for cell in _markdown_cells(path):
        for line in cell.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            match = None if in_fence else _HEADING.match(line)
            if match:
                stream.append((len(match.group(1)), _heading_text(match.group(2))))
            stream.extend(find_citations(line))
    return stream


def _citation_sections(path: str | Path) -> dict[str, list[str]]:
    """For each key cited in the notebook at ``path``: the headings of the sections that cite it, in order.

    A citation belongs to the nearest heading above it (in the same cell or an earlier one). A heading whose text
    occurs more than once (such as "Try this") cannot be linked to, so the nearest enclosing heading with a unique
    text stands for it. A citation above every heading belongs to no section.

    Raises:
        TypeError: If ``path`` is not a string or a path.
        ValueError: If ``path`` names no ``.ipynb`` file, or a cited key is unknown.
    """
    stream = _headings_and_citations(path)
    counts: dict[str, int] = {}
    for item in stream:
        if isinstance(item, tuple):
            counts[item[1]] = counts.get(item[1], 0) + 1
    sections: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []
    for item in stream:
        if isinstance(item, tuple):
            while stack and stack[-1][0] >= item[0]:
                stack.pop()
            stack.append(item)
            continue
        heads = sections.setdefault(item, [])
        unique = next((text for _, text in reversed(stack) if counts[text] == 1), None)
        if unique and unique not in heads:
            heads.append(unique)
    return sections


_BACK = "↩ back to"

# A click on a back link scrolls to the heading itself rather than leave it to the front end, because neither
# front end manages alone when the heading has a non-ASCII letter (such as "2 · A wash-out model"): JupyterLab 4
# gives headings a ``data-jupyter-id`` with the raw text and looks links up by the encoded hash; Voila (nbconvert)
# gives them a percent-encoded ``id``, and its link handler looks for the decoded one. The handler tries the
# reader's own notebook first (JupyterLab may hold several), then the page; if it finds nothing, the plain link
# is followed. Notebook outputs made in the reader's session are trusted, so the handler is kept.
_BACK_ONCLICK = ("var r=this.hash.slice(1),i=decodeURIComponent(r),n=this.closest('.jp-Notebook')||document;"
                 "var h=Array.prototype.find.call(n.querySelectorAll('[data-jupyter-id]'),"
                 "function(e){return e.getAttribute('data-jupyter-id')===i})"
                 "||document.getElementById(r)||document.getElementById(i);"
                 "if(h){h.scrollIntoView();return false}")


def references_markdown(keys: list[str], sections: dict[str, list[str]] | None = None) -> str:
    """Render ``keys`` as a numbered Markdown list with an anchor per entry, so in-text links jump to it.

    With ``sections`` (key → headings of the sections citing it, as :func:`_citation_sections` returns), each entry
    ends with links back to those sections, so a reader who followed a citation can return to the text.
    """
    if not isinstance(keys, (list, tuple)):
        raise TypeError(f"keys must be a list of citation keys; got {type(keys).__name__}.")
    if sections is not None:
        if not isinstance(sections, dict):
            raise TypeError(f"sections must be a dict of citation key → list of heading texts; "
                            f"got {type(sections).__name__}.")
        for key, heads in sections.items():
            if not isinstance(key, str) or not isinstance(heads, (list, tuple)) or \
                    not all(isinstance(h, str) and h.strip() for h in heads):
                raise TypeError(f"sections must map citation keys to lists of heading texts; got {key!r:.40}: "
                                f"{heads!r:.60}.")
    if not keys:
        return "*(This notebook cites no sources.)*"
    lines = []
    for i, key in enumerate(keys, 1):
        if not isinstance(key, str):
            raise TypeError(f"keys must hold citation key strings such as 'loken2009'; got {key!r:.60}.")
        ref = get_reference(key)
        line = f'{i}. <a id="ref-{key}"></a>{format_reference(ref)}'
        heads = (sections or {}).get(key, [])
        if heads:
            links = ", ".join(f'<a href="{html.escape(_anchor_href(_heading_anchor(h)))}" '
                              f'onclick="{_BACK_ONCLICK}">{html.escape(h, quote=False)}</a>' for h in heads)
            line += f" {_BACK} {links}"
        lines.append(line)
    return "\n".join(lines)


def show_references(path: str | Path) -> None:
    """Display the reference list of the notebook at ``path``, generated from the keys its text cites.

    Each entry links back to the sections that cite it.
    """
    from IPython.display import Markdown, display

    keys = notebook_citations(path)
    display(Markdown(references_markdown(keys, _citation_sections(path))))
