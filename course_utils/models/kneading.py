"""Kneading and metabolite wash-out: a model against the measured data (notebook ``05_kneading``).

The traditional story says kneading "flushes" tired muscle: it raises blood flow, and the extra flow carries
lactate and other metabolites away faster. A one-compartment wash-out model (ours) makes that story precise. A
metabolite at concentration C in a well-mixed muscle compartment of volume V is cleared by the blood flowing
through it:

    dC/dt = −k·C,   k = E·Q / V,   so   C(t) = C₀·e^(−k·t)   and   t½ = ln 2 / k,

where Q is the blood flow and E the fraction of the metabolite the blood removes on each pass. Clearance E·Q is
proportional to flow, so in this model anything that raises flow speeds wash-out and anything that lowers it slows
it. Kneading enters only as a change in flow. New production and uptake by other tissues are ignored.

That is the model's limit, and the notebook says so. Locally it agrees with the measurement: in wiltshire2010's
forearm, active recovery had less flow than passive rest (614 against 766 mL/min about 30 s after exercise) and
also less lactate efflux (15.4 against 20.5 mmol over 10 min), as a flow-only model predicts. The disagreement is
with *whole-body blood lactate* after leg exercise, which fell fastest with active recovery (martin1998;
massage_lactate1993). The body does not mainly *wash* lactate out: most of it (75–80 % in resting and exercising
people) is oxidised as fuel, by working muscle, the heart and other tissues, and much of the rest is turned back
into glucose and glycogen, largely in the liver (brooks2000). Gentle exercise adds working muscle that burns it.

The model is only as good as its input. Measured after forearm exercise, flow was *lower* with massage than with
passive rest (wiltshire2010: 540 versus 766 mL/min about 30 s after exercise; 3178 versus 4203 mL in total over
10 min), and lactate efflux fell with it (14.7 versus 20.5 mmol):
massage impaired clearance. Other studies found massage no better than rest for blood lactate (martin1998;
hemmings2000) and no effect on lactate or glycogen (crane2012). :data:`MEASURED_STUDIES` holds only the numbers
given in the course's science sheet; where a study reported "no difference" without numbers here, the entry says
so in words.
"""

from __future__ import annotations

import math

import numpy as np

from ..validation import check_array, check_choice, check_number

__all__ = [
    "WILTSHIRE2010_FLOW_ML_MIN",
    "WILTSHIRE2010_LACTATE_EFFLUX_MMOL",
    "MEASURED_STUDIES",
    "COMPARTMENT_VOLUME_ML",
    "EXTRACTION_FRACTION",
    "INITIAL_CONCENTRATION_MMOL_L",
    "CLAIMED_FLOW_CHANGE_PCT",
    "washout_rate_per_min",
    "half_life_min",
    "concentration_mmol_l",
    "cleared_mmol",
    "kneading_flow_ml_min",
    "flush_story_vs_measured",
    "measured_data",
]

# ---------------------------------------------------------------------------------------------------------------
# Constants (one block), each with its citation key; "ours" marks a teaching choice.
# ---------------------------------------------------------------------------------------------------------------
WILTSHIRE2010_FLOW_ML_MIN = {  # forearm (brachial-artery) flow 30 s after strenuous handgrip exercise: wiltshire2010
    "passive rest": 766.0,
    "active recovery": 614.0,
    "massage": 540.0,
}
WILTSHIRE2010_LACTATE_EFFLUX_MMOL = {  # forearm lactate efflux, total over 10 min after exercise: wiltshire2010
    "passive rest": 20.5,
    "active recovery": 15.4,
    "massage": 14.7,
}
WILTSHIRE2010_FLOW_10MIN_ML = {  # total forearm blood flow over the 10 min after exercise: wiltshire2010
    "passive rest": 4203.0,
    "active recovery": 3584.0,
    "massage": 3178.0,
}
COMPARTMENT_VOLUME_ML = 1000.0  # ours: volume of the well-mixed muscle compartment (order of a forearm's muscle)
EXTRACTION_FRACTION = 0.1  # ours: share of the metabolite removed per pass of blood; sets the half-life scale only
INITIAL_CONCENTRATION_MMOL_L = 10.0  # ours: starting concentration after hard exercise, for the plot's scale only
CLAIMED_FLOW_CHANGE_PCT = 50.0  # ours: the "flush" story's flow increase; the story itself gives no number
FLOW_RANGE_ML_MIN = (1.0, 5000.0)  # ours: from near-stopped flow to beyond leg flow in mild exercise
FLOW_CHANGE_RANGE_PCT = (-90.0, 300.0)  # ours: kneading could lower flow to a tenth or raise it fourfold
TIME_RANGE_MIN = (0.0, 120.0)  # ours: recovery window the model is drawn over
MEASURED_STUDIES = (
    {"key": "wiltshire2010", "study": "Wiltshire et al. 2010", "site": "forearm, after handgrip exercise",
     "outcome": "forearm blood flow, 30 s after exercise", "unit": "mL/min",
     "values": dict(WILTSHIRE2010_FLOW_ML_MIN),
     "finding": "Blood flow was lowest with massage, below passive rest."},
    {"key": "wiltshire2010", "study": "Wiltshire et al. 2010", "site": "forearm, after handgrip exercise",
     "outcome": "total forearm blood flow over 10 min", "unit": "mL",
     "values": dict(WILTSHIRE2010_FLOW_10MIN_ML),
     "finding": "Over 10 min, massage let through about a quarter less blood than passive rest."},
    {"key": "wiltshire2010", "study": "Wiltshire et al. 2010", "site": "forearm, after handgrip exercise",
     "outcome": "lactate carried out of the forearm (efflux), total over 10 min", "unit": "mmol",
     "values": dict(WILTSHIRE2010_LACTATE_EFFLUX_MMOL),
     "finding": "Less lactate left the muscle with massage (and with active recovery) than with passive rest."},
    {"key": "martin1998", "study": "Martin et al. 1998", "site": "legs, after very hard (all-out) exercise",
     "outcome": "blood lactate clearance", "unit": None, "values": None,
     "finding": "Active recovery cleared lactate best; massage was no better than rest."},
    {"key": "massage_lactate1993", "study": "A 1993 study (J Strength Cond Res)",
     "site": "legs, after an exhausting treadmill run; 22 men",
     "outcome": "blood lactate over 20 min of recovery", "unit": None, "values": None,
     "finding": "Easy cycling lowered lactate more than rest; leg massage was no better than rest."},
    {"key": "hemmings2000", "study": "Hemmings et al. 2000", "site": "between bouts of repeated sports performance",
     "outcome": "blood lactate and performance", "unit": None, "values": None,
     "finding": "No change in lactate or performance; athletes felt more recovered."},
    {"key": "crane2012", "study": "Crane et al. 2012",
     "site": "small muscle samples (biopsies) after damaging exercise; 11 people, 10 min massage",
     "outcome": "muscle glycogen and lactate", "unit": None, "values": None,
     "finding": "No effect on glycogen or lactate (inflammatory signalling fell; the study was small)."},
)


def washout_rate_per_min(flow_ml_min, volume_ml: float = COMPARTMENT_VOLUME_ML,
                         extraction_fraction: float = EXTRACTION_FRACTION) -> np.ndarray:
    """Wash-out rate constant k = E·Q / V of a one-compartment model (ours).

    Args:
        flow_ml_min: Blood flow through the compartment in mL/min, 1–5000 (number or array).
        volume_ml: Compartment volume in mL, 10–100000 (default 1000 mL, ours).
        extraction_fraction: Share of the metabolite removed per pass, greater than 0 and at most 1
            (default 0.1, ours).

    Returns:
        k in 1/min, proportional to flow.

    Explained in notebook 05_kneading.
    """
    q = check_array("flow_ml_min", flow_ml_min, unit="mL/min", low=FLOW_RANGE_ML_MIN[0], high=FLOW_RANGE_ML_MIN[1])
    v = check_number("volume_ml", volume_ml, unit="mL", low=10.0, high=1.0e5)
    e = check_number("extraction_fraction", extraction_fraction, unit="", low=0.0, high=1.0, low_open=True)
    return e * q / v


def half_life_min(rate_per_min) -> np.ndarray:
    """Half-life of first-order wash-out, t½ = ln 2 / k.

    Args:
        rate_per_min: Rate constant k in 1/min, greater than 0 and at most 100 (number or array).

    Returns:
        t½ in min.

    Example:
        >>> round(float(half_life_min(math.log(2) / 5)), 6)
        5.0

    Explained in notebook 05_kneading.
    """
    k = check_array("rate_per_min", rate_per_min, unit="1/min", low=0.0, high=100.0, low_open=True)
    return math.log(2.0) / k


def concentration_mmol_l(time_min, rate_per_min: float,
                         initial_mmol_l: float = INITIAL_CONCENTRATION_MMOL_L) -> np.ndarray:
    """Metabolite concentration during wash-out, C(t) = C₀·e^(−k·t).

    Args:
        time_min: Time since wash-out began in min, 0–120 (number or array).
        rate_per_min: Rate constant k in 1/min, 0–100 (0 means no clearance).
        initial_mmol_l: Starting concentration C₀ in mmol/L, 0–50 (default 10, ours).

    Returns:
        C in mmol/L at each time.

    Explained in notebook 05_kneading.
    """
    t = check_array("time_min", time_min, unit="min", low=TIME_RANGE_MIN[0], high=TIME_RANGE_MIN[1])
    k = check_number("rate_per_min", rate_per_min, unit="1/min", low=0.0, high=100.0)
    c0 = check_number("initial_mmol_l", initial_mmol_l, unit="mmol/L", low=0.0, high=50.0)
    return c0 * np.exp(-k * t)


def cleared_mmol(time_min, rate_per_min: float, initial_mmol_l: float = INITIAL_CONCENTRATION_MMOL_L,
                 volume_ml: float = COMPARTMENT_VOLUME_ML) -> np.ndarray:
    """Amount of metabolite carried out of the compartment by time t, V·C₀·(1 − e^(−k·t)).

    This is the model's counterpart of a measured efflux (wiltshire2010 measured flow × venous–arterial
    difference).

    Args:
        time_min: Time since wash-out began in min, 0–120.
        rate_per_min: Rate constant k in 1/min, 0–100.
        initial_mmol_l: Starting concentration in mmol/L, 0–50.
        volume_ml: Compartment volume in mL, 10–100000.

    Returns:
        Cleared amount in mmol at each time.

    Explained in notebook 05_kneading.
    """
    c = concentration_mmol_l(time_min, rate_per_min, initial_mmol_l)
    v = check_number("volume_ml", volume_ml, unit="mL", low=10.0, high=1.0e5)
    c0 = float(initial_mmol_l)
    return (c0 - c) * v * 1e-3


def kneading_flow_ml_min(rest_flow_ml_min, flow_change_pct: float) -> np.ndarray:
    """Blood flow during kneading, modelled as a percentage change of the resting flow.

    Args:
        rest_flow_ml_min: Flow without kneading in mL/min, 1–5000.
        flow_change_pct: Change of flow caused by kneading in %, −90 to +300 (the flush story assumes a rise;
            wiltshire2010 measured about −30 % against passive rest).

    Returns:
        Flow in mL/min.

    Example:
        >>> float(kneading_flow_ml_min(766, 50))
        1149.0

    Explained in notebook 05_kneading.
    """
    q = check_array("rest_flow_ml_min", rest_flow_ml_min, unit="mL/min", low=FLOW_RANGE_ML_MIN[0],
                    high=FLOW_RANGE_ML_MIN[1])
    pct = check_number("flow_change_pct", flow_change_pct, unit="%", low=FLOW_CHANGE_RANGE_PCT[0],
                       high=FLOW_CHANGE_RANGE_PCT[1])
    return q * (1.0 + pct / 100.0)


def flush_story_vs_measured(time_min, claimed_flow_change_pct: float = CLAIMED_FLOW_CHANGE_PCT,
                            volume_ml: float = COMPARTMENT_VOLUME_ML,
                            extraction_fraction: float = EXTRACTION_FRACTION,
                            initial_mmol_l: float = INITIAL_CONCENTRATION_MMOL_L) -> dict:
    """The traditional "flush" story and the measured flows, run through the same wash-out model.

    Four scenarios share the model and differ only in flow: passive rest, active recovery and massage with the
    flows measured by wiltshire2010, and the "flush story", massage that raises flow above passive rest by
    ``claimed_flow_change_pct`` (ours; the story gives no number).

    Args:
        time_min: Times in min, 0–120 (array for a plot).
        claimed_flow_change_pct: The flow increase the flush story assumes, in %, −90 to +300 (default +50, ours).
        volume_ml: Compartment volume in mL, 10–100000 (ours).
        extraction_fraction: Share removed per pass, greater than 0 and at most 1 (ours).
        initial_mmol_l: Starting concentration in mmol/L, 0–50 (ours).

    Returns:
        A dict keyed by scenario (``"passive rest"``, ``"active recovery"``, ``"massage (measured)"``,
        ``"flush story"``), each a dict with ``flow_ml_min``, ``rate_per_min``, ``half_life_min`` and
        ``concentration_mmol_l`` (array over ``time_min``); plus ``"measured_efflux_ratio"`` (massage / passive
        rest lactate efflux, 14.7 / 20.5) and ``"model_clearance_ratio"`` (massage / passive rest clearance in
        the model, 540 / 766).

    Explained in notebook 05_kneading.
    """
    t = check_array("time_min", time_min, unit="min", low=TIME_RANGE_MIN[0], high=TIME_RANGE_MIN[1])
    check_number("claimed_flow_change_pct", claimed_flow_change_pct, unit="%", low=FLOW_CHANGE_RANGE_PCT[0],
                 high=FLOW_CHANGE_RANGE_PCT[1])
    rest = WILTSHIRE2010_FLOW_ML_MIN["passive rest"]
    flows = {
        "passive rest": rest,
        "active recovery": WILTSHIRE2010_FLOW_ML_MIN["active recovery"],
        "massage (measured)": WILTSHIRE2010_FLOW_ML_MIN["massage"],
        "flush story": float(kneading_flow_ml_min(rest, claimed_flow_change_pct)),
    }
    out: dict = {}
    for name, flow in flows.items():
        k = float(washout_rate_per_min(flow, volume_ml, extraction_fraction))
        out[name] = {"flow_ml_min": flow, "rate_per_min": k, "half_life_min": math.log(2.0) / k,
                     "concentration_mmol_l": concentration_mmol_l(t, k, initial_mmol_l)}
    out["measured_efflux_ratio"] = (WILTSHIRE2010_LACTATE_EFFLUX_MMOL["massage"]
                                    / WILTSHIRE2010_LACTATE_EFFLUX_MMOL["passive rest"])
    out["model_clearance_ratio"] = out["massage (measured)"]["rate_per_min"] / out["passive rest"]["rate_per_min"]
    return out


def measured_data(study: str | None = None) -> list[dict]:
    """The measured findings on massage and metabolite clearance, as a list of table rows.

    Holds only numbers given in the course's science sheet (wiltshire2010); studies that reported "no
    difference" (martin1998, hemmings2000, crane2012) are given in words, with ``values`` set to None.

    Args:
        study: A citation key (``"wiltshire2010"``, ``"martin1998"``, ``"hemmings2000"``, ``"crane2012"``) to
            keep only that study's rows, or None for all.

    Returns:
        A list of dicts with ``key``, ``study``, ``site``, ``outcome``, ``unit``, ``values`` (dict of condition
        → number, or None) and ``finding`` (a plain sentence). The rows are copies; changing them does not
        change the module's data.

    Explained in notebook 05_kneading.
    """
    rows = MEASURED_STUDIES
    if study is not None:
        key = check_choice("study", study, sorted({row["key"] for row in MEASURED_STUDIES}))
        rows = tuple(row for row in MEASURED_STUDIES if row["key"] == key)
    return [{**row, "values": dict(row["values"]) if row["values"] is not None else None} for row in rows]
