"""Contraindications: when a client should not have massage, vibration, or massage over one area (notebook 08).

The lists come from science.md §12:

* the U.S. National Center for Complementary and Integrative Health (NCCIH) page on massage [nccih_massage]
  (read through secondary copies): conditions in which to avoid massage, areas not to massage, and conditions in
  which to consult a health professional first. Its wordings differ between versions. For bleeding, the later
  wording (2019: avoid *forceful or deep* massage with bleeding disorders, low platelets or blood thinners)
  replaces the earlier one: a source's own revision, not a disagreement between sources. For bone, NCCIH's older
  page, as recorded in the course's sources (science.md §12), says to avoid massage with weakened bone
  (osteoporosis, a recent fracture, cancer); one secondary copy of that older page [nccih_massage_earlier] says
  only not over weakened bone (or a recent surgery). The two copies disagree, and the stricter one governs;
* contraindication lists of vibration-device makers [vibration_device_lists]: low-quality sources that cite no
  evidence, used here only for the extra items they add for vibration;
* Batavia 2004 [batavia2004]: 21 sources listed between 3 and 86 contraindications and precautions, and 76 % of
  the sources cited no references for them, so the lists disagree and none of them is a rule proved by trials;
* for vibration and blood vessels or nerves (ours, science.md §4 and §12): vibration narrows finger vessels
  [bovenzi1997; egan1996], and hand-arm vibration harms vessels, nerves and the musculoskeletal system
  [dong2021; nilsson2017], so Raynaud's phenomenon, peripheral vascular disease and neuropathy call for care with
  a device. Peripheral vascular disease and neuropathy also fall under NCCIH's damaged vessels and damaged nerves:
  keep away from the affected area (and, for peripheral vascular disease, ask first).

**Where sources disagree, the stricter one governs** (:data:`STRICTER_SOURCE_GOVERNS`): a low-quality list never
loosens a rule from a stronger source. Weak bone is the case in point: the makers name only *severe* osteoporosis
and fractures of the last 6–12 weeks, NCCIH's older page, as recorded in science.md §12, any weakened bone (avoid
massage), so the checklist says no massage until a health professional clears it. What it keeps after clearance
(nothing over the fracture or the weakened bone, light pressure only everywhere else and no vibration device:
:data:`WEAK_BONE_AFTER_CLEARANCE`) is the course's own stricter reading: no
source gives rules for massage after clearance.

Each item has a plain label, its scope (what it rules out), a short reason and the keys of its sources. The
reasons are our plain summary of the usual rationale: the source lists themselves give few reasons and no evidence.
This is a teaching checklist, not a clinical tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from ..validation import check_choice

__all__ = ["SCOPES", "STRICTER_SOURCE_GOVERNS", "WEAK_BONE_AFTER_CLEARANCE", "THERAPIST_SYMPTOMS_NOTE",
           "still_applies_once_cleared",
           "Contraindication", "CONTRAINDICATIONS",
           "ContraindicationVerdict", "contraindication_verdict"]

NO_MASSAGE = "no massage"
ASK_FIRST = "ask a health professional first"
NO_DEEP = "no deep or forceful pressure"
NO_VIBRATION = "no vibration"
VIBRATION_CARE = "vibration only with care"
AVOID_AREA = "avoid the area"

SCOPES: tuple[str, ...] = (NO_MASSAGE, ASK_FIRST, NO_DEEP, NO_VIBRATION, VIBRATION_CARE, AVOID_AREA)
"""The scopes, strictest first (our ordering): no massage at all; ask a health professional before massage; only
light pressure (no deep or forceful massage, no percussion); no vibration device on this person; a vibration device
only with care (the course's own reading: ask first, keep it off the hands and feet, lowest setting); no pressure,
rubbing, heat, percussion or vibration over the affected area."""

STRICTER_SOURCE_GOVERNS = ("Where sources disagree, the stricter one governs what the checklist and the planner do; "
                           "a low-quality list never loosens a rule from a stronger source.")
"""The course's rule for disagreeing sources (science.md §12), shown by the checklist and the planner."""

WEAK_BONE_AFTER_CLEARANCE = ("With weak bone, once cleared: nothing over the fracture or the weakened bone, light "
                             "pressure only everywhere else and no vibration device, unless the health professional "
                             "advises something stricter (bone weakened by osteoporosis or cancer may be weak in many "
                             "places: ask where) (the course's own stricter reading).")
"""What the checklist keeps for weak bone once a health professional clears massage (ours: no source gives rules
after clearance). Osteoporosis weakens bone all over the body, and bone cancer is often in several places: so the
light-pressure and no-device limits hold everywhere, not only "elsewhere"."""

THERAPIST_SYMPTOMS_NOTE = ("For you, the therapist: if your own fingers tingle, go numb or turn white, or your hands "
                           "lose strength or feel clumsy, these can be signs of hand-arm vibration syndrome. "
                           "Stop using vibrating devices until a doctor "
                           "(occupational health if you have one) has assessed you, and keep your hands warm.")
"""A note for a therapist who already has symptoms of hand-arm vibration syndrome: its vascular (white finger),
nerve (tingling, numbness) and musculoskeletal parts [dong2021; nilsson2017]. The advice is ours."""


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
    # NCCIH's later wording (its own revision of the older page, which said avoid massage): avoid forceful or deep
    # massage. science.md §12's rule for the course follows the later wording; no percussion at all is ours.
    _c("bleeding", "Bleeding disorder, low platelets or blood-thinning medicine", (ASK_FIRST, NO_DEEP),
       "Blood clots slowly, so firm pressure or percussion may cause bruises or bleeding under the skin. NCCIH's "
       "older page said to avoid massage; its later page, the same source's revision, narrows this to no "
       "forceful or deep massage. The course follows the later wording and reads it strictly: it counts firm "
       "percussion as forceful, leaves out all percussion, allows light pressure only, and a vibration device "
       "only if the health professional agrees.", (_N, "nccih_massage_earlier")),
    _c("vessels", "Damaged blood vessels", (NO_MASSAGE,),
       "Weak vessel walls can be injured by pressure.", (_N,)),
    # Stricter source governs: NCCIH's earlier wording (avoid massage with weakened bone; science.md §12) over its
    # secondary copy (not over the area) and the makers' narrower list (only severe osteoporosis, fresh fractures).
    # The scopes after NO_MASSAGE are what the course keeps once a health professional clears massage (ours).
    _c("weak_bone", "Bone weakened by osteoporosis, cancer or a recent fracture",
       (NO_MASSAGE, ASK_FIRST, NO_DEEP, NO_VIBRATION, AVOID_AREA),
       "Weak or healing bone may break under pressure or percussion, and osteoporosis weakens bone all over the "
       "body. NCCIH's older page, as recorded in the course's sources, says to avoid massage with weakened bone "
       "(one secondary copy says only not over the area), and the stricter one governs: no "
       "massage until a health professional clears it. After that the course's own stricter reading keeps nothing "
       "over the fracture or the weakened bone, light pressure only everywhere else and no vibration device, unless "
       "the health professional advises something stricter (bone weakened by osteoporosis or cancer may be weak in "
       "many places: ask where). The device makers name only "
       "severe osteoporosis and fractures of the last 6–12 weeks, and their narrower list does not loosen this.",
       (_N, "nccih_massage_earlier", _V)),
    _c("fever", "Fever", (NO_MASSAGE,),
       "Fever is a sign of an illness that should be dealt with first.", (_N, _V)),
    # --- NCCIH: not over the area
    _c("wound", "Open or healing wound", (AVOID_AREA,),
       "Rubbing or pressing can reopen it or carry germs into it. Massage elsewhere is not ruled out.", (_N, _V)),
    _c("tumour", "Tumour", (AVOID_AREA,),
       "The area should not be pressed or rubbed; the person's treating team decides what is safe.", (_N,)),
    _c("nerves", "Damaged nerves in the area", (AVOID_AREA,),
       "The person may not feel when pressure or heat is too much (for example numbness after an injury).", (_N,)),
    _c("surgery", "Recent surgery (in the area)", (ASK_FIRST, AVOID_AREA),
       "A healing operation site can be hurt or reopened by pressure or rubbing; the person's surgeon or health "
       "professional says when it is safe. The secondary copy of NCCIH's earlier wording names it.",
       ("nccih_massage_earlier",)),
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
    # --- ours, from the evidence on vibration, vessels and nerves (science.md §4, §12): vibration only with care
    _c("raynaud", "Raynaud's phenomenon (fingers or toes turn white in the cold)", (VIBRATION_CARE,),
       "Vibration narrows the small vessels of the fingers, even away from the vibrated hand (in the other "
       "hand and in the toes), and "
       "vibration white finger is Raynaud's phenomenon caused by vibration. Since the narrowing reaches beyond "
       "the vibrated spot, ask a health professional first; if a device is used at all, keep it short, on its "
       "lowest setting and off the hands and feet, and stop if fingers or toes go pale (the course's own reading "
       "of the vibration studies; no list we found names Raynaud's).",
       ("bovenzi1997", "egan1996", "nilsson2017")),
    # NCCIH: no massage with damaged blood vessels; PVD is at least "ask first" and not over the damaged vessels.
    _c("pvd", "Peripheral vascular disease (poor blood flow in the legs or arms)",
       (ASK_FIRST, VIBRATION_CARE, AVOID_AREA),
       "Peripheral vascular disease can involve damaged blood vessels. Until a health professional has said "
       "whether the vessels are damaged, do not massage the affected limb. If they are damaged, tick Damaged "
       "blood vessels too, which rules out massage; if not, massage elsewhere but keep off that limb, whose blood "
       "flow is already poor (the course's own caution). "
       "Vibration can narrow vessels further in the fingers and toes, so a device only with care (the course's own "
       "reading of the studies).", (_N, "bovenzi1997", "egan1996")),
    # NCCIH: not over damaged nerves; vibration care is ours (hand-arm vibration damages nerves).
    _c("neuropathy", "Neuropathy (numb or tingling areas from nerve damage)", (VIBRATION_CARE, AVOID_AREA),
       "NCCIH says not to massage over damaged nerves, and a numb area cannot warn when pressure, heat or "
       "vibration is too much (a numb foot does not feel the skin pass the heat-pain line): no pressure, rubbing, "
       "heat or vibration over numb areas. Hand-arm vibration itself damages nerves, so a device elsewhere only "
       "with care (the course's own reading of the studies).", (_N, "dong2021", "nilsson2017")),
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
    NO_MASSAGE: "no massage for this person until a health professional says it is safe",
    ASK_FIRST: "ask a health professional before massage",
    NO_DEEP: ("only light pressure, no deep or forceful massage and no percussion; a vibration device only if the "
              "health professional agrees"),
    NO_VIBRATION: "no vibration device on this person",
    VIBRATION_CARE: ("a vibration device only with care (the course's own reading): after asking a health "
                     "professional, short, on its lowest setting and off the hands and feet, and stopped at once if "
                     "fingers or toes go pale"),
    AVOID_AREA: "keep away from the affected area: no pressure, rubbing, heat, percussion or vibration over it",
}
_LISTS_SAY = "The checklist says: "


def _in_sentence(label: str) -> str:
    """A label inside a sentence: first letter lower case, except abbreviations (DVT) and names (Raynaud's)."""
    keep = label[:2].isupper() or label.split()[0].endswith("'s")
    return label if keep else label[0].lower() + label[1:]


def _listed(labels: tuple[str, ...]) -> str:
    """Labels inside a sentence (see :func:`_in_sentence`), joined by '; '."""
    return "; ".join(_in_sentence(label) for label in labels)


def _checked_keys(name: str, value: object) -> list[str]:
    """``value`` as a list of checklist keys; a clear TypeError/ValueError naming ``name`` otherwise."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError(f"{name} must be a list of checklist keys such as ['pregnancy']; got {value!r:.60} of "
                        f"type {type(value).__name__}.")
    return [check_choice(name, k, list(CONTRAINDICATIONS)) for k in value]


def _labels_by_scope(keys: list[str]) -> dict[str, tuple[str, ...]]:
    """Scope → labels of the items among ``keys`` with that scope, strictest scope first, in checklist order."""
    by_scope: dict[str, tuple[str, ...]] = {}
    for scope in SCOPES:
        labels = tuple(CONTRAINDICATIONS[k].label for k in CONTRAINDICATIONS if k in keys
                       and scope in CONTRAINDICATIONS[k].scopes)
        if labels:
            by_scope[scope] = labels
    return by_scope


def still_applies_once_cleared(keys: Iterable[str]) -> str:
    """For a "no massage" verdict: what the other ticked items (those that do not rule out massage) still rule out
    once a health professional clears massage, as a sentence starting with a space; ``""`` if there are none.

    Without it a stop names only its own cause, and a learner could forget, say, that pregnancy still rules out
    the vibration device once a blood clot has been dealt with.
    """
    others = [k for k in _checked_keys("keys", keys) if NO_MASSAGE not in CONTRAINDICATIONS[k].scopes]
    parts = [f"{_SCOPE_SENTENCE[scope]} (because of: {_listed(labels)})"
             for scope, labels in _labels_by_scope(others).items()]
    return f" Also ticked, and still to follow once massage is cleared: {'; '.join(parts)}." if parts else ""


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
    keys = _checked_keys("ticked", ticked)
    by_scope = _labels_by_scope(keys)
    if not by_scope:
        return ContraindicationVerdict("nothing ticked", {}, "Nothing ticked: no contraindication from this "
                                       "checklist. The lists disagree and are not complete, so ask the client "
                                       "about their health every time, and ask a health professional if in doubt.")
    headline = next(iter(by_scope))
    if headline == NO_MASSAGE:
        text = f"{_LISTS_SAY}{_SCOPE_SENTENCE[NO_MASSAGE]} (because of: {_listed(by_scope[NO_MASSAGE])})."
        if "weak_bone" in keys:
            text += " " + WEAK_BONE_AFTER_CLEARANCE
        text += still_applies_once_cleared(keys)
    else:
        text = _LISTS_SAY + "; ".join(f"{_SCOPE_SENTENCE[s]} (because of: {_listed(labels)})"
                                      for s, labels in by_scope.items()) + "."
    return ContraindicationVerdict(headline, by_scope, text)
