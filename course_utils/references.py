"""The course's reference registry.

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


def _r(key: str, authors: str, year: int, title: str, venue: str = "", doi: str = "", url: str = "",
       note: str = "") -> tuple[str, Reference]:
    return key, Reference(key, authors, year, title, venue, doi, url, note)


REFERENCES: dict[str, Reference] = dict([
    # --- receptors and touch (science.md §1)
    _r("bolanowski1988", "Bolanowski SJ, Gescheider GA, Verrillo RT, Checkosky CM", 1988,
       "Four channels mediate the mechanical aspects of touch", "J Acoust Soc Am 84(5):1680–1694",
       doi="10.1121/1.397184"),
    _r("bolanowski1994", "Bolanowski SJ, Gescheider GA, Verrillo RT", 1994,
       "Hairy skin: psychophysical channels and their physiological substrates", "Somatosens Mot Res 11:279–290"),
    _r("verrillo1966", "Verrillo RT", 1966, "[vibrotactile threshold curves on hairy skin]",
       note="Cited for the U-shaped threshold curve and its slopes, as summarised in later reviews."),
    _r("gescheider2004", "Gescheider GA, Bolanowski SJ, Verrillo RT", 2004,
       "Some characteristics of tactile channels", "Behav Brain Res 148:35–40",
       doi="10.1016/s0166-4328(03)00177-3"),
    _r("johnson2001", "Johnson KO", 2001, "The roles and functions of cutaneous mechanoreceptors",
       "Curr Opin Neurobiol 11:455–461"),
    _r("johansson1979", "Johansson RS, Vallbo ÅB", 1979,
       "Tactile sensibility in the human hand: relative and absolute densities of four types of "
       "mechanoreceptive units in glabrous skin", "J Physiol 286:283–300"),
    _r("primate_afferents", "[authors not recorded]", 2009,
       "[best frequencies of primate tactile afferents, reviewed]", url="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC2657072/",
       note="PubMed Central PMC2657072."),
    # --- muscle spindles, TVR (science.md §2)
    _r("eklund1966", "Eklund G, Hagbarth KE", 1966, "Normal variability of tonic vibration reflexes in man",
       "Exp Neurol 16:80–92", doi="10.1016/0014-4886(66)90088-4"),
    _r("burke1976", "Burke D, Hagbarth KE, Löfstedt L, Wallin BG", 1976,
       "The responses of human muscle spindle endings to vibration of non-contracting muscles",
       "J Physiol 261:673–693", doi="10.1113/jphysiol.1976.sp011580"),
    _r("roll1989", "Roll JP, Vedel JP, Ribot E", 1989,
       "Alteration of proprioceptive messages induced by tendon vibration in man: a microneurographic study",
       "Exp Brain Res 76:213–222", doi="10.1007/BF00253639"),
    _r("roll1982", "Roll JP, Vedel JP", 1982,
       "Kinaesthetic role of muscle afferents in man, studied by tendon vibration and microneurography",
       "Exp Brain Res 47:177–190", doi="10.1007/BF00239377"),
    _r("park1993", "Park HS, Martin BJ", 1993,
       "Contribution of the tonic vibration reflex to muscle stress and muscle fatigue",
       "Scand J Work Environ Health 19:35–42"),
    _r("degail1966", "De Gail P, Lance JW, Neilson PD", 1966,
       "Differential effects on tonic and phasic reflex mechanisms produced by vibration of muscles in man",
       "J Neurol Neurosurg Psychiatry 29:1–11"),
    _r("ritzmann2013", "Ritzmann R, Kramer A, Gollhofer A, Taube W", 2013,
       "[25 and 50 Hz tendon and whole-body vibration for 70 s: force and soleus EMG]", "PLoS One",
       doi="10.1371/journal.pone.0085247",
       note="Title not checked for this course."),
    _r("wbv_mep2017", "[authors not recorded]", 2017,
       "[whole-body vibration: corticospinal excitability up, soleus H-reflex down for 10 min]",
       url="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5259574/", note="PubMed Central PMC5259574."),
    _r("ekblom2011", "Ekblom MM, Thorstensson A", 2011,
       "Effects of prolonged vibration on H-reflexes, muscle activation, and dynamic strength",
       "Med Sci Sports Exerc 43:1933–1939", doi="10.1249/MSS.0b013e318217d720"),
    _r("wbv_hreflex2018", "[authors not recorded]", 2018,
       "[1 min of whole-body vibration at 20–50 Hz depresses the soleus H-reflex by 28–37%]",
       "Hum Mov Sci", doi="10.1016/j.humov.2018.09.002"),
    # --- pain (science.md §3)
    _r("lundeberg1983", "Lundeberg T", 1983, "Vibratory stimulation for the alleviation of chronic pain",
       "Acta Physiol Scand Suppl 523:1–51"),
    _r("lundeberg1984a", "Lundeberg T, Nordemar R, Ottoson D", 1984,
       "Pain alleviation by vibratory stimulation", "Pain 20:25–44"),
    _r("lundeberg1984b", "Lundeberg T", 1984, "Long-term results of vibratory stimulation as a pain relieving measure "
       "for chronic pain", "Pain 20:13–23", doi="10.1016/0304-3959(84)90807-8"),
    _r("melzack1965", "Melzack R, Wall PD", 1965, "Pain mechanisms: a new theory", "Science 150:971–979",
       doi="10.1126/science.150.3699.971"),
    _r("mendell2014", "Mendell LM", 2014, "Constructing and deconstructing the gate theory of pain",
       "Pain 155:210–216", doi="10.1016/j.pain.2013.12.010"),
    _r("britton1989", "Britton NF, Skevington SM", 1989,
       "A mathematical model of the gate control theory of pain", "J Theor Biol 137:91–105",
       note="Equations and parameters not checked for this course; our pain model is a simpler stand-in."),
    # --- blood flow (science.md §4)
    _r("maloneyhinds2008", "Maloney-Hinds C, Petrofsky JS, Zimmerman G", 2008,
       "The effect of 30 Hz vs. 50 Hz passive vibration and duration of vibration on skin blood flow in the arm",
       "Med Sci Monit 14(3):CR112–116"),
    _r("lohman2007", "Lohman EB, Petrofsky JS, Maloney-Hinds C, Betts-Schwab H, Thorpe D", 2007,
       "The effect of whole body vibration on lower extremity skin blood flow in normal subjects",
       "Med Sci Monit 13(2):CR71–76"),
    _r("tzen2018", "Tzen YT, Weinheimer-Haus EM, Corbiere TF, Koh TJ", 2018,
       "Increased skin blood flow during low intensity vibration in human participants: analysis of control "
       "mechanisms using short-time Fourier transform", "PLoS One", doi="10.1371/journal.pone.0200247"),
    _r("mahbub2020", "Mahbub MH and colleagues", 2020,
       "[whole-body vibration at 15, 20 and 25 Hz and skin blood flow]", "Int J Environ Res Public Health 17:1069",
       doi="10.3390/ijerph17031069"),
    _r("bovenzi1997", "Bovenzi M, Griffin MJ", 1997,
       "Haemodynamic changes in ipsilateral and contralateral fingers caused by acute exposures to hand "
       "transmitted vibration", "Occup Environ Med 54:566–576", doi="10.1136/oem.54.8.566"),
    _r("egan1996", "Egan CE, Espie BH, McGrann S, McKenna KM, Allen JA", 1996,
       "Acute effects of vibration on peripheral blood flow in healthy subjects",
       "Occup Environ Med 53:663–669", doi="10.1136/oem.53.10.663"),
    # --- standards (science.md §5)
    _r("iso5349", "International Organization for Standardization", 2001,
       "ISO 5349-1: Mechanical vibration — Measurement and evaluation of human exposure to hand-transmitted "
       "vibration — Part 1: General requirements", "ISO, Geneva"),
    _r("iso8041", "International Organization for Standardization", 2017,
       "ISO 8041-1: Human response to vibration — Measuring instrumentation — Part 1", "ISO, Geneva"),
    _r("eu2002", "European Parliament and Council", 2002,
       "Directive 2002/44/EC on the minimum health and safety requirements regarding the exposure of workers to "
       "the risks arising from physical agents (vibration)", "Official Journal of the European Communities L177"),
    # --- massage guns (science.md §6)
    _r("konrad2020", "Konrad A, Glashüttner C, Reiner MM, Bernsteiner D, Tilp M", 2020,
       "The acute effects of a percussive massage treatment with a Hypervolt device on plantar flexor muscles' "
       "range of motion and performance", "J Sports Sci Med 19:690–694", url="https://pubmed.ncbi.nlm.nih.gov/33239942/"),
    _r("garciasillero2021", "García-Sillero M and colleagues", 2021,
       "[percussive massage between bench-press sets]", "Int J Environ Res Public Health 18:7726",
       doi="10.3390/ijerph18157726"),
    _r("greene2024", "Greene and colleagues", 2024, "[25 Hz percussive massage between resistance-exercise sets]",
       "Muscles 3:15", doi="10.3390/muscles3020015"),
    _r("percussion_flow2023", "[authors not recorded]", 2023,
       "[percussive massage at 30, 38 and 47 Hz and popliteal artery blood flow]", "J Clin Med 12:2047",
       doi="10.3390/jcm12052047"),
    _r("percussion_review2023", "[authors not recorded]", 2023, "[review of 13 studies of percussive massage]",
       "Int J Sports Phys Ther", doi="10.26603/001c.73795"),
    # --- friction and heat (science.md §7)
    _r("derler2012", "Derler S, Gerhardt LC", 2012, "Tribology of skin: review and analysis of experimental results "
       "for the friction coefficient of human skin", "Tribol Lett 45:1–27"),
    _r("veijgen2013", "Veijgen NK, Masen MA, van der Heide E", 2013,
       "[friction of in vivo human skin: median static and dynamic coefficients]", "Tribol Lett",
       doi="10.1007/s11249-012-0062-1"),
    _r("sivamani2003", "Sivamani RK, Goodman J, Gitis NV, Maibach HI", 2003,
       "Coefficient of friction: tribological studies in man – an overview", "Skin Res Technol 9:227–234",
       note="Cited for petrolatum and glycerin raising skin friction."),
    _r("burns2017", "[authors not recorded]", 2017, "[thermal properties of skin layers, review]", "Burns",
       doi="10.1016/j.burns.2016.11.014"),
    _r("mcintosh2010", "McIntosh RL, Anderson V", 2010,
       "A comprehensive tissue properties database provided for the thermal assessment of a human at rest",
       "Biophys Rev Lett 5:129–151", doi="10.1142/S1793048010001184"),
    _r("pennes1948", "Pennes HH", 1948, "Analysis of tissue and arterial blood temperatures in the resting human "
       "forearm", "J Appl Physiol 1:93–122"),
    _r("carslaw1959", "Carslaw HS, Jaeger JC", 1959, "Conduction of Heat in Solids, 2nd ed.",
       "Oxford University Press", note="Textbook source of the constant-flux semi-infinite-body solution."),
    _r("caterina1997", "Caterina MJ, Schumacher MA, Tominaga M, Rosen TA, Levine JD, Julius D", 1997,
       "The capsaicin receptor: a heat-activated ion channel in the pain pathway", "Nature 389:816–824",
       doi="10.1038/39807"),
    _r("bessou1969", "Bessou P, Perl ER", 1969, "Response of cutaneous sensory units with unmyelinated fibers to "
       "noxious stimuli", "J Neurophysiol 32:1025–1043"),
    _r("guyton", "Hall JE, Hall ME", 2021, "Guyton and Hall Textbook of Medical Physiology, 14th ed.", "Elsevier",
       note="Textbook; cited for heat pain beginning near 45 °C, where tissue damage begins."),
    # --- stroking (science.md §8)
    _r("loken2009", "Löken LS, Wessberg J, Morrison I, McGlone F, Olausson H", 2009,
       "Coding of pleasant touch by unmyelinated afferents in humans", "Nat Neurosci 12:547–548",
       doi="10.1038/nn.2312"),
    _r("ackerley2014", "Ackerley R, Backlund Wasling H, Liljencrantz J, Olausson H, Johnson RD, Wessberg J", 2014,
       "Human C-tactile afferents are tuned to the temperature of a skin-stroking caress", "J Neurosci 34:2879–2883",
       doi="10.1523/JNEUROSCI.2847-13.2014"),
    _r("ackerley2014b", "Ackerley R, Carlsson I, Wester H, Olausson H, Backlund Wasling H", 2014,
       "Touch perceptions across skin sites: differences between sensitivity, direction discrimination and "
       "pleasantness", "Front Behav Neurosci 8:54", doi="10.3389/fnbeh.2014.00054"),
    _r("moraska2010", "Moraska A, Pollini RA, Boulanger K, Brooks MZ, Teitlebaum L", 2010,
       "Physiological adjustments to stress measures following massage therapy: a review of the literature",
       "Evid Based Complement Alternat Med 7:409–418"),
    _r("moyer2011", "Moyer CA, Seefeldt L, Mann ES, Jackley LM", 2011,
       "Does massage therapy reduce cortisol? A comprehensive quantitative review", "J Bodyw Mov Ther 15:3–14",
       doi="10.1016/j.jbmt.2010.06.001"),
    # --- kneading (science.md §9)
    _r("shoemaker1997", "Shoemaker JK, Tiidus PM, Mader R", 1997,
       "Failure of manual massage to alter limb blood flow: measures by Doppler ultrasound",
       "Med Sci Sports Exerc 29:610–614"),
    _r("hinds2004", "Hinds T, McEwan I, Perkes J, Dawson E, Ball D, George K", 2004,
       "Effects of massage on limb and skin blood flow after quadriceps exercise", "Med Sci Sports Exerc 36:1308–1313"),
    _r("portillosoto2014", "Portillo-Soto A, Eberman LE, Demchak TJ, Peebles C", 2014,
       "Comparison of blood flow changes with soft tissue mobilization and massage therapy",
       "J Altern Complement Med 20:932–936"),
    _r("wiltshire2010", "Wiltshire EV, Poitras V, Pak M, Hong T, Rayner J, Tschakovsky ME", 2010,
       "Massage impairs postexercise muscle blood flow and \"lactic acid\" removal", "Med Sci Sports Exerc "
       "42:1062–1071", doi="10.1249/MSS.0b013e3181c9214f"),
    _r("martin1998", "Martin NA, Zoeller RF, Robertson RJ, Lephart SM", 1998,
       "The comparative effects of sports massage, active recovery, and rest in promoting blood lactate clearance "
       "after supramaximal leg exercise", "J Athl Train 33:30–35"),
    _r("massage_lactate1993", "[authors not recorded]", 1993,
       "[massage versus active recovery and rest for blood lactate]",
       "J Strength Cond Res", doi="10.1519/00124278-199308000-00006"),
    _r("hemmings2000", "Hemmings B, Smith M, Graydon J, Dyson R", 2000,
       "Effects of massage on physiological restoration, perceived recovery, and repeated sports performance",
       "Br J Sports Med 34:109–114", doi="10.1136/bjsm.34.2.109"),
    _r("crane2012", "Crane JD, Ogborn DI, Cupido C, Melov S, Hubbard A, Bourgeois JM, Tarnopolsky MA", 2012,
       "Massage therapy attenuates inflammatory signaling after exercise-induced muscle damage",
       "Sci Transl Med 4:119ra13", doi="10.1126/scitranslmed.3002882"),
    _r("huang2013", "Huang TW, Tseng SH, Lin CC, et al.", 2013,
       "Effects of manual lymphatic drainage on breast cancer-related lymphedema: a systematic review and "
       "meta-analysis of randomized controlled trials", "World J Surg Oncol 11:15", doi="10.1186/1477-7819-11-15"),
    _r("mld_meta2020", "[authors not recorded]", 2020, "[meta-analysis of 17 randomised trials of manual lymph "
       "drainage]", url="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7717855/", note="PubMed Central PMC7717855."),
    _r("ezzo2015", "Ezzo J, Manheimer E, McNeely ML, et al.", 2015,
       "Manual lymphatic drainage for lymphedema following breast cancer treatment", "Cochrane Database Syst Rev",
       doi="10.1002/14651858.CD003475.pub2"),
    # --- Head's zones, Russian school, contraindications (science.md §10–12)
    _r("beissner2011", "Beissner F, Henke C, Unschuld PU", 2011,
       "Forgotten features of head zones and their relation to diagnostically relevant acupuncture points",
       "Evid Based Complement Alternat Med", doi="10.1093/ecam/nen088"),
    _r("head1893", "Head H", 1893, "On disturbances of sensation with especial reference to the pain of visceral "
       "disease", "Brain 16:1–133"),
    _r("russian_vibration", "Паранько (1967); Арутюнянц (1973), as cited in Ukrainian teaching notes", 1973,
       "[Russian-school teaching on the vascular effects of vibration]",
       note="Secondary source: teaching notes, not the original works."),
    _r("russian_segmental", "Russian segmental-massage textbooks (e.g. Бирюков; Вербов)", 1975,
       "[segmental-massage zone tables and the rule that brief strong vibration excites, long gentle vibration "
       "calms]", note="Values recalled, not checked against the original texts; year approximate."),
    _r("nccih_massage", "National Center for Complementary and Integrative Health", 2019,
       "Massage therapy: what you need to know", url="https://www.nccih.nih.gov/health/massage-therapy-what-you-need-to-know",
       note="Reproduced secondarily; the page is revised from time to time."),
    _r("batavia2004", "Batavia M", 2004, "Contraindications for therapeutic massage: do sources agree?",
       "J Bodyw Mov Ther 8:48–57"),
    # --- mechanics (syllabus model 01)
    _r("johnson1985", "Johnson KL", 1985, "Contact Mechanics", "Cambridge University Press",
       note="Textbook source of the stress under a uniform circular load on an elastic half-space (Boussinesq)."),
    _r("timoshenko1970", "Timoshenko SP, Goodier JN", 1970, "Theory of Elasticity, 3rd ed.", "McGraw-Hill"),
    _r("rao2017", "Rao SS", 2017, "Mechanical Vibrations, 6th ed.", "Pearson",
       note="Textbook source of the base-excited damped oscillator and its transmissibility."),
])


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
