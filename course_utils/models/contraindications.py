"""Contraindications: when a client should not have massage, vibration, or massage over one area (notebook 08).

The lists come from science.md §12:

* the U.S. National Center for Complementary and Integrative Health (NCCIH) page on massage [nccih_massage]
  (read through secondary copies): conditions in which to avoid massage, areas not to massage, and conditions in
  which to consult a health professional first. Its wordings differ between versions: an older one says to avoid
  massage with bleeding disorders, blood thinners or weakened bone; a later one (2019) says to avoid *forceful or
  deep* massage with bleeding disorders, low platelets or blood thinners. The checklist follows the later, milder
  wording for bleeding, and asks first for weak bone, where the lists disagree (Batavia 2004; makers name only
  *severe* osteoporosis);
* contraindication lists of vibration-device makers [vibration_device_lists]: low-quality sources that cite no
  evidence, used here only for the extra items they add for vibration;
* Batavia 2004 [batavia2004]: 21 sources listed between 3 and 86 contraindications and precautions, and 76 % of
  the sources cited no references for them, so the lists disagree and none of them is a rule proved by trials.

Each item has a plain label, its scope (what it rules out), a short reason and the keys of its sources. The
reasons are our plain summary of the usual rationale: the source lists themselves give few reasons and no evidence.
This is a teaching checklist, not a clinical tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from ..validation import check_choice

__all__ = ["SCOPES", "Contraindication", "CONTRAINDICATIONS", "ContraindicationVerdict", "contraindication_verdict"]

NO_MASSAGE = "no massage"
ASK_FIRST = "ask a health professional first"
NO_DEEP = "no deep or forceful pressure"
NO_VIBRATION = "no vibration"
AVOID_AREA = "avoid the area"

SCOPES: tuple[str, ...] = (NO_MASSAGE, ASK_FIRST, NO_DEEP, NO_VIBRATION, AVOID_AREA)
"""The scopes, strictest first (our ordering): no massage at all; ask a health professional before massage; only
light pressure (no deep or forceful massage); no vibration device on this person; no massage over the affected
area."""


@dataclass(frozen=True)
class Contraindication:
    """One checklist item.

    Attributes:
        key: Short identifier, e.g. ``"dvt"``.
        label: What the learner reads next to the checkbox.
        scopes: What it rules out: one or more of :data:`SCOPES`.
        reason: Why, in one or two plain sentences (our summary).
        sources: Citation keys of the lists that name it.
    """

    key: str
    label: str
    scopes: tuple[str, ...]
    reason: str
    sources: tuple[str, ...]


_N = "nccih_massage"
_V = "vibration_device_lists"


def _c(key: str, label: str, scopes: tuple[str, ...], reason: str, sources: tuple[str, ...]) -> tuple[str, object]:
    return key, Contraindication(key, label, scopes, reason, sources)


CONTRAINDICATIONS: dict[str, Contraindication] = dict([
    # --- NCCIH: avoid massage
    _c("dvt", "Blood clot in a deep vein (DVT)", (NO_MASSAGE,),
       "The usual worry is that pressing or shaking the limb might loosen the clot, which could then travel to "
       "the lungs.", (_N, _V)),
    # NCCIH 2019 wording: avoid forceful or deep massage (an older wording said avoid massage)
    _c("bleeding", "Bleeding disorder, low platelets or blood-thinning medicine", (ASK_FIRST, NO_DEEP),
       "Blood clots slowly, so firm pressure may cause bruises or bleeding under the skin. The later NCCIH wording "
       "rules out forceful or deep massage, not all massage; an older one ruled out massage.", (_N,)),
    _c("vessels", "Damaged blood vessels", (NO_MASSAGE,),
       "Weak vessel walls can be injured by pressure.", (_N,)),
    _c("weak_bone", "Bone weakened by osteoporosis, cancer or a recent fracture", (ASK_FIRST, NO_DEEP, NO_VIBRATION),
       "Weak or healing bone may break or be damaged by pressure. The sources disagree on how strict to be: an "
       "older NCCIH wording says to avoid massage, vibration-device makers name only severe osteoporosis and a "
       "fracture of the last 6–12 weeks.", (_N, _V)),
    _c("fever", "Fever", (NO_MASSAGE,),
       "Fever is a sign of an illness that should be dealt with first.", (_N, _V)),
    # --- NCCIH: not over the area
    _c("wound", "Open or healing wound", (AVOID_AREA,),
       "Rubbing or pressing can reopen it or carry germs into it. Massage elsewhere is not ruled out.", (_N, _V)),
    _c("tumour", "Tumour", (AVOID_AREA,),
       "The area should not be pressed or rubbed; the person's treating team decides what is safe.", (_N,)),
    _c("nerves", "Damaged nerves in the area", (AVOID_AREA,),
       "The person may not feel when pressure or heat is too much (for example numbness after an injury).", (_N,)),
    _c("infection", "Infection or acute inflammation", (AVOID_AREA,),
       "Massage might spread an infection or make an inflammation (red, hot, swollen, painful) worse.", (_N, _V)),
    _c("radiotherapy", "Skin treated by radiotherapy", (AVOID_AREA,),
       "Irradiated skin is fragile and easily hurt.", (_N,)),
    # --- NCCIH: ask a health professional first
    _c("pregnancy", "Pregnancy", (ASK_FIRST, NO_VIBRATION),
       "NCCIH advises talking to a health professional before massage; vibration-device makers (low-quality "
       "lists) also say not to use their devices in pregnancy.", (_N, _V)),
    _c("cancer", "Cancer", (ASK_FIRST,),
       "The treating team knows which areas and pressures are safe during treatment.", (_N,)),
    _c("fragile_skin", "Fragile skin", (ASK_FIRST,),
       "Thin or fragile skin tears and bruises easily.", (_N,)),
    _c("heart", "Heart disease", (ASK_FIRST,),
       "A doctor should say whether massage is safe for this person's heart condition.", (_N,)),
    _c("dermatomyositis", "Dermatomyositis (inflamed muscles and skin)", (ASK_FIRST,),
       "A rare disease with inflamed muscles and skin, which pressure may harm; a specialist should advise "
       "first.", (_N,)),
    # --- vibration-device makers (low-quality lists): no vibration
    _c("joint_replacement", "Recent joint replacement", (NO_VIBRATION,),
       "Makers fear that shaking could disturb the new joint while it heals.", (_V,)),
    _c("implant", "Implant or pacemaker", (NO_VIBRATION,),
       "Makers fear that vibration could disturb an electronic implant or loosen a fitted one.", (_V,)),
    _c("epilepsy", "Epilepsy", (NO_VIBRATION,),
       "Makers fear that strong rhythmic stimulation could set off a seizure.", (_V,)),
    _c("stones", "Gallstones or kidney stones", (NO_VIBRATION,),
       "Makers fear that shaking could move a stone and cause pain or a blockage.", (_V,)),
    _c("migraine", "Migraine attack now", (NO_VIBRATION,),
       "Makers fear that vibration could make the headache worse during an attack.", (_V,)),
    _c("retina", "Detached retina", (NO_VIBRATION,),
       "Makers fear that shaking could make the detachment worse.", (_V,)),
])
"""The checklist items, by key, in the order the checklist shows them."""


class ContraindicationVerdict(NamedTuple):
    """What the ticked items rule out.

    Attributes:
        headline: The strictest scope ticked (one of :data:`SCOPES`), or ``"nothing ticked"``.
        by_scope: Scope → labels of the ticked items with that scope, strictest scope first (only scopes ticked).
        text: The verdict in one or two plain sentences.
    """

    headline: str
    by_scope: dict[str, tuple[str, ...]]
    text: str


_SCOPE_SENTENCE = {
    NO_MASSAGE: "no massage for this person",
    ASK_FIRST: "ask a health professional before massage",
    NO_DEEP: "only light pressure, no deep or forceful massage",
    NO_VIBRATION: "no vibration device on this person",
    AVOID_AREA: "keep away from the affected area",
}
_LISTS_SAY = "The lists say: "


def _listed(labels: tuple[str, ...]) -> str:
    """Labels inside a sentence: first letters lower case (abbreviations such as DVT kept), joined by '; '."""
    return "; ".join(label[0].lower() + label[1:] for label in labels)


def contraindication_verdict(ticked: Iterable[str]) -> ContraindicationVerdict:
    """The verdict for a client given the ticked checklist items.

    Args:
        ticked: Keys of the ticked items (see :data:`CONTRAINDICATIONS`), e.g. ``["pregnancy"]``; an empty list
            means nothing is ticked.

    Returns:
        A :class:`ContraindicationVerdict`. Its ``headline`` is the strictest scope ticked, in the order of
        :data:`SCOPES`.

    Raises:
        TypeError: If ``ticked`` is not a list (or tuple) of strings.
        ValueError: If a key is not a checklist item.

    Notebook: 08_devices_and_safety. Sources: [nccih_massage], [vibration_device_lists], [batavia2004].

    Example:
        >>> contraindication_verdict(["wound", "pregnancy"]).headline
        'ask a health professional first'
    """
    if isinstance(ticked, (str, bytes)) or not isinstance(ticked, (list, tuple, set, frozenset)):
        raise TypeError(f"ticked must be a list of checklist keys such as ['pregnancy']; got {ticked!r:.60} of "
                        f"type {type(ticked).__name__}.")
    keys = [check_choice("ticked", k, list(CONTRAINDICATIONS)) for k in ticked]
    by_scope: dict[str, tuple[str, ...]] = {}
    for scope in SCOPES:
        labels = tuple(CONTRAINDICATIONS[k].label for k in CONTRAINDICATIONS if k in keys
                       and scope in CONTRAINDICATIONS[k].scopes)
        if labels:
            by_scope[scope] = labels
    if not by_scope:
        return ContraindicationVerdict("nothing ticked", {}, "Nothing ticked: no contraindication from this "
                                       "checklist. The lists disagree and are not complete, so ask the client "
                                       "about their health every time, and ask a health professional if in doubt.")
    headline = next(iter(by_scope))
    if headline == NO_MASSAGE:
        text = f"{_LISTS_SAY}{_SCOPE_SENTENCE[NO_MASSAGE]} (because of: {_listed(by_scope[NO_MASSAGE])})."
    else:
        text = _LISTS_SAY + "; ".join(f"{_SCOPE_SENTENCE[s]} (because of: {_listed(labels)})"
                                      for s, labels in by_scope.items()) + "."
    return ContraindicationVerdict(headline, by_scope, text)
