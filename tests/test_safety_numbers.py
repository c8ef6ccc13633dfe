"""One source of truth for the numbers that the planner, its warnings and notebooks 07–09 all quote (issue 15).

Each number lives once, as a constant in a model module with its citation; these tests check that the constant is
what the model or the source gives (worked independently here) and that every text quoting it says the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import course_utils as cu
from course_utils.models import nervous, pain
from course_utils.models import planner as pm

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _markdown(name: str) -> str:
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.sub(r"\s+", " ", text)


def _latest_switch_by_scan() -> float:
    """The latest sign change of the public net index over a grid of frequencies and amplitudes (independent scan)."""
    t = np.arange(0.0, 45.0, 1 / 60)  # 1-s steps
    latest = 0.0
    for f in np.geomspace(1.0, 300.0, 25):
        for a in np.geomspace(0.01, 10.0, 13):
            net = cu.net_excitation_index(t, float(f), float(a))
            below = np.flatnonzero(net[1:] < 0)
            if below.size:
                latest = max(latest, float(t[below[0] + 1]))
    return latest


def test_the_models_latest_switch_is_the_constant_and_about_4_min():
    assert nervous.NET_SWITCH_LATEST_MIN == pytest.approx(_latest_switch_by_scan(), abs=0.05)
    assert round(nervous.NET_SWITCH_LATEST_MIN) == 4


def test_every_text_quotes_the_models_latest_switch_alike():
    minutes = round(nervous.NET_SWITCH_LATEST_MIN)
    [note] = [w for w in cu.plan_warnings(cu.SessionPlan("warming up", [cu.VibrationStep(minutes=30)]))
              if w.kind == "goal"]
    assert f"about {minutes} min at the latest" in note.message
    assert f"about {minutes} minutes at the latest" in _markdown("08_devices_and_safety.ipynb")
    assert f"about {minutes} minutes" in _markdown("09_planning_a_session.ipynb")
    assert f"after about {minutes} minutes" in _markdown("07_vibration_effects.ipynb")  # 100 Hz, its latest setting
    for name in ("07_vibration_effects.ipynb", "08_devices_and_safety.ipynb", "09_planning_a_session.ipynb"):
        assert "half a minute to 5 min" not in _markdown(name), name


def test_lundebergs_25_to_45_min_is_quoted_as_the_longest_lasting_relief():
    low, high = pain.LASTING_RELIEF_BEST_MIN
    assert (low, high) == (25.0, 45.0)  # Lundeberg 1984a, science.md §3
    assert pm.PAIN_RELIEF_BEST_MIN is pain.LASTING_RELIEF_BEST_MIN
    span = f"{low:g}–{high:g}"
    for name in ("07_vibration_effects.ipynb", "09_planning_a_session.ipynb"):
        text = _markdown(name)
        assert span in text, name
        for wrong in ("did best with", "best results came with", "best results in"):
            assert wrong not in text, (name, wrong)
    text = _markdown("09_planning_a_session.ipynb")
    for m in re.finditer(span, text):  # every mention says what the number is about
        window = text[max(0, m.start() - 160): m.end() + 160]
        assert "last" in window, window


def test_warm_up_durations_are_quoted_as_the_planner_uses_them():
    mixed = pm.STRENGTH_LOSS_REPORTED_MIN
    assert mixed == (20.0, 30.0)  # science.md §12: losses after ~20–30 min (Ekblom 2011 intro); Fry 2014: none
    for name in ("08_devices_and_safety.ipynb", "09_planning_a_session.ipynb"):
        text = " ".join(_markdown(name).split())
        assert "were not tested in the course's sources" not in text, name  # science.md §12 reports 20–30 min
        assert "some studies" not in text, name
        assert "strength losses have been reported after about 20–30 min" in text.lower(), name
        assert "the 20-minute figure could not be checked against a study" in text, name
        assert "Bongiovanni 1990" in text and "science.md's sources" not in text, name
        assert "Ekblom 2011" in text and "Fry 2014" in text and "Konrad 2020" in text, name
    assert "the longest massage-gun time in the course's sources" in " ".join(
        _markdown("08_devices_and_safety.ipynb").split())
    assert f"{pm.WARM_UP_TESTED_MIN:g} minutes of percussion left strength unchanged" in _markdown(
        "09_planning_a_session.ipynb")
    [note] = [w for w in cu.plan_warnings(cu.SessionPlan("warming up", [cu.VibrationStep(minutes=mixed[0])]))
              if w.kind == "goal"]
    assert "strength losses have been reported after about 20–30 min" in note.message
    assert "one 30-min study found none (Fry 2014)" in note.message


def test_the_calming_text_does_not_link_reflex_depression_to_calm():
    text = _markdown("09_planning_a_session.ipynb")
    assert "No study shows that vibration calms a person" in text
    for wrong in ("leans towards inhibition", "Short vibration for calming", "vibrate longer"):
        assert wrong not in text, wrong


def test_lundebergs_minutes_are_how_long_the_vibration_ran_not_how_many_were_helped():
    text = _markdown("09_planning_a_session.ipynb")
    assert "are how long the vibration ran in the sessions whose relief lasted longest" in text
    assert "Long vibration helps the client's pain" not in text
    assert "safe time to a quarter" not in _markdown("08_devices_and_safety.ipynb")


def test_the_planners_teaching_lines_are_named_in_notebook_09():
    text = _markdown("09_planning_a_session.ipynb")
    assert f"the {pm.LIGHT_PRESSURE_MAX_N:g} N counted as light pressure" in text
    assert f"the {pm.PERCUSSION_AMPLITUDE_MM:g} mm counted as percussion" in text


def test_notebook_08_safety_wording_after_the_second_cold_read():
    text = " ".join(_markdown("08_devices_and_safety.ipynb").split())
    # PVD can involve damaged vessels; it is not one by definition
    assert "Peripheral vascular disease can involve damaged blood vessels" in text
    assert "disease is a case of damaged" not in text
    assert "are damaged, tick Damaged blood vessels too, which rules out massage" in text
    assert ("Until a health professional has said whether the vessels are damaged, do not massage the affected "
            "limb") in text
    # weak bone: "avoid massage" is the older page as science.md records it, never the 2019 entry
    assert "The two copies disagree, and the stricter one governs" in text
    assert "avoid massage with weakened bone ([NCCIH 2019]" not in text
    assert "light pressure only elsewhere" not in text and "nothing over the weak bone" not in text
    assert "light pressure only everywhere else and no vibration device" in text  # every weak bone, after clearance
    assert "weakened in one place" not in text


def test_notebook_09_table_matches_the_goal_notes():
    text = " ".join(_markdown("09_planning_a_session.ipynb").split())
    assert "| Vibration for calming | any vibration step:" in text and "still shows the reflexes excited" not in text
    row = text.split("| Short vibration for pain |")[1].split("| note |")[0]
    assert "light pressure only" in row and "rules out massage or vibration" in row and "care with vibration" in row
