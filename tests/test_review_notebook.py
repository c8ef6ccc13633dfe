"""Notebook 10 · Review: its final quiz covers notebooks 01-09 and agrees with the course; running it keeps progress.

The quiz cell is read without running it (its questions are literal calls, as instructor/build_answers.py reads
them). Every number a question can be recomputed from is recomputed with ``course_utils`` and, where there is
one, with the closed-form formula the notebooks teach; every multiple-choice answer that a model or an evidence
box decides is checked against that model or box.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import nbformat
import pytest

import course_utils as cu
from course_utils.models.planner import SESSIONS_PER_DAY_RANGE
from course_utils.quiz import AnswerEvent

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
REVIEW = NOTEBOOKS / "10_review.ipynb"
REVISIT = re.compile(r"Revisit notebook (\d\d)")
# The notebook that teaches each claim (claims.md); its evidence box gives the verdict the recap must repeat.
HOME = {**{f"C{i:02d}": "01" for i in range(1, 9)}, **{f"C{i:02d}": "02" for i in range(9, 14)},
        "C14": "03", "C15": "03", "C16": "04", "C17": "04", "C18": "05", "C19": "06", "C21": "06",
        "C20": "07", "C22": "07", "C23": "07", "C24": "07"}


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def _notebook(number: str) -> Path | None:
    found = sorted(NOTEBOOKS.glob(f"{number}_*.ipynb"))
    return found[0] if found else None


def _markdown(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(_source(c) for c in nb.cells if c.cell_type == "markdown")


def _quiz_cell() -> str:
    nb = nbformat.read(REVIEW, as_version=4)
    cells = [_source(c) for c in nb.cells if c.cell_type == "code" and "cu.Quiz(" in _source(c)]
    assert len(cells) == 1, "notebook 10 should have exactly one quiz cell"
    return cells[0]


def _questions() -> list[dict]:
    """Every MultipleChoice/Numeric call of the quiz cell as a dict of its (literal) arguments, in order."""
    code = _quiz_cell()
    out = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("MultipleChoice", "Numeric"):
            names = ["prompt", "options", "answer", "explanation", "hint"] if node.func.attr == "MultipleChoice" \
                else ["prompt", "answer", "tolerance", "unit", "explanation", "hint"]
            args = dict(zip(names, (ast.literal_eval(a) for a in node.args), strict=False))
            args.update({kw.arg: ast.literal_eval(kw.value) for kw in node.keywords})
            args["kind"] = node.func.attr
            out.append(args)
    out.sort(key=lambda q: code.index(q["prompt"][:40]))
    return out


QUESTIONS = _questions()


def _question(words: str) -> dict:
    found = [q for q in QUESTIONS if words in q["prompt"]]
    assert len(found) == 1, f"expected one question containing {words!r}, found {len(found)}"
    return found[0]


def _verdict(number: str, claim: str) -> str:
    """The verdict words of ``claim``'s evidence box in notebook ``number`` (lower case, no final full stop)."""
    text = _markdown(_notebook(number))
    box = re.search(rf"Evidence box\s*·\s*{claim}\b.*?\*\*Verdict:\s*(.*?)\*\*", text, re.S)
    assert box, f"notebook {number} has no evidence box with a verdict for {claim}"
    return re.sub(r"\s+", " ", box.group(1)).strip().rstrip(".").lower()


# ------------------------------------------------------------------------------------------------ the quiz's shape


def test_quiz_is_labelled_and_its_size_and_kinds_are_mixed():
    assert re.search(r'cu\.Quiz\(\s*"10 final review"', _quiz_cell())
    assert re.search(r'notebook="10"\s*\)\s*$', _quiz_cell().strip())
    kinds = [q["kind"] for q in QUESTIONS]
    assert 16 <= len(kinds) <= 20
    assert kinds.count("Numeric") >= 4 and kinds.count("MultipleChoice") >= 4


def test_quiz_cell_starts_collapsed():
    nb = nbformat.read(REVIEW, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "cu.Quiz(" in _source(c))
    assert cell.metadata.get("jupyter", {}).get("source_hidden") is True


@pytest.mark.parametrize("q", QUESTIONS, ids=[f"q{i + 1}" for i in range(len(QUESTIONS))])
def test_every_question_has_a_hint_that_keeps_the_answer_back(q):
    assert q.get("hint", "").strip(), "no hint"
    assert q["hint"] != cu.DEFAULT_HINT
    if q["kind"] == "MultipleChoice":
        right = q["options"][q["answer"]].lower()
        assert right not in q["hint"].lower(), "the hint gives the answer away"
    else:
        number = re.escape(f"{q['answer']:g}")
        assert not re.search(rf"(?<![\d.]){number}(?![\d.])", q["hint"]), "the hint gives the number away"


def test_every_explanation_names_the_notebook_to_revisit_and_all_of_01_to_09_are_covered():
    named = []
    for q in QUESTIONS:
        first = REVISIT.search(q["explanation"])
        assert first, f"the explanation of {q['prompt'][:60]!r} names no notebook to revisit"
        named.append(first.group(1))
    for number in (f"{i:02d}" for i in range(1, 10)):
        assert named.count(number) >= 2, f"notebook {number} has {named.count(number)} question(s); want 2 or more"
    assert set(named) <= {f"{i:02d}" for i in range(1, 10)}


def test_sections_the_explanations_name_exist():
    pattern = re.compile(r"notebook (\d\d), Sections? (\d)(?:(?: to | and |, )(\d))?")
    checked = 0
    for q in QUESTIONS:
        for number, first, last in pattern.findall(q["explanation"]):
            path = _notebook(number)
            assert path is not None, f"notebook {number} does not exist"
            text = _markdown(path)
            for section in {first, last or first}:
                assert re.search(rf"^## {section} · ", text, re.M), f"notebook {number} has no Section {section}"
                checked += 1
    assert checked >= 16


# ------------------------------------------------------------------------------------------------ numeric answers
# Each entry: words of the prompt -> (course value, independent value from the formula the notebook teaches).

def _half_life_ratio_minutes() -> float:
    rest = cu.WILTSHIRE2010_FLOW_ML_MIN["passive rest"]
    k_rest = cu.washout_rate_per_min(rest)
    k_story = cu.washout_rate_per_min(cu.kneading_flow_ml_min(rest, 50))
    return float(9 * k_rest / k_story)


def _plan(sessions_per_day: int, minutes: float = 20, handle_m_s2: float = 6, frequency_hz: float = 100):
    step = cu.VibrationStep(minutes=minutes, frequency_hz=frequency_hz, amplitude_mm=1.0, force_n=30,
                            handle_vibration_m_s2=handle_m_s2)
    return cu.SessionPlan("pain relief", [step], sessions_per_day=sessions_per_day)


def _hands_warning(plan) -> bool:
    return any(w.kind == "exposure" for w in cu.plan_warnings(plan))


def _planner_sessions_without_hands_warning(minutes: float, handle_m_s2: float) -> int:
    """The largest sessions_per_day for which the planner gives no warning about the therapist's hands."""
    low, high = SESSIONS_PER_DAY_RANGE
    quiet = [n for n in range(low, high + 1) if not _hands_warning(_plan(n, minutes, handle_m_s2))]
    assert quiet == list(range(low, max(quiet) + 1)), "the hands warning should appear from one number on"
    return max(quiet)


NUMERIC = {
    "heel of the hand, a round contact 30 mm": (
        lambda: cu.depth_for_fraction_mm(30, 0.5),
        # sigma/p = 1 - u^3/(1+u^2)^1.5 = 1/2 with u = z/a  =>  u^2 = c/(1-c), c = 0.5^(2/3)
        lambda: 30 * math.sqrt(0.5 ** (2 / 3) / (1 - 0.5 ** (2 / 3)))),
    "For the heart": (
        lambda: len(cu.segment_disagreement("Heart")["both"]),
        lambda: len({"T1", "T2", "T3", "T4", "T5"} & {"C3", "C4", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"})),
    "Fingertip friction: 20 N on 2 cm²": (
        lambda: cu.heat_flux_w_m2(20, 2, 10, cu.friction_coefficient("dry"), 0.5),
        lambda: 0.5 * 0.36 * (20 / 2e-4) * 0.10),
    "half-life of lactate with rest is 9 minutes": (
        _half_life_ratio_minutes,
        lambda: 9 / 1.5),
    "30 Hz with a 16 mm stroke": (
        lambda: cu.peak_acceleration_m_s2(30, 8),
        lambda: (2 * math.pi * 30) ** 2 * 0.008),
    "22 m/s² r.m.s. at 125 Hz": (
        lambda: cu.amplitude_for_acceleration_mm(125, math.sqrt(2) * 22),
        lambda: math.sqrt(2) * 22 / (2 * math.pi * 125) ** 2 * 1000),
    "3 m/s² (weighted, a what-if) for 2 hours": (
        lambda: cu.daily_exposure_a8([3, 6], [120, 30]),
        lambda: math.sqrt((9 * 120 + 36 * 30) / 480)),
    "one 20-minute vibration step whose handle vibrates": (
        lambda: _planner_sessions_without_hands_warning(20, 6),
        lambda: math.floor(480 * (2.5 / 6) ** 2 / 20)),
}


@pytest.mark.parametrize("words", list(NUMERIC))
def test_numeric_answer_agrees_with_the_course_and_the_formula(words):
    q = _question(words)
    assert q["kind"] == "Numeric"
    course, formula = (float(f()) for f in NUMERIC[words])
    assert course == pytest.approx(formula, rel=1e-6), "the course's function and the formula disagree"
    assert abs(q["answer"] - course) <= q["tolerance"] / 2, (
        f"answer {q['answer']} {q['unit']} is not within half its tolerance of the course's {course:.4g}")
    assert q["tolerance"] <= 0.05 * abs(course) or q["unit"] in ("segments", "sessions"), "tolerance too loose"


def test_every_numeric_question_is_checked():
    numeric = [q["prompt"] for q in QUESTIONS if q["kind"] == "Numeric"]
    unchecked = [p for p in numeric if not any(w in p for w in NUMERIC)]
    assert not unchecked, f"numeric questions without a recomputation in this test: {unchecked}"


def test_prompt_numbers_agree_with_the_course():
    """Numbers the prompts state as facts of the course (not what-ifs) are the course's own."""
    assert cu.friction_coefficient("dry") == 0.36
    rest = cu.WILTSHIRE2010_FLOW_ML_MIN["passive rest"]
    assert float(cu.half_life_min(cu.washout_rate_per_min(rest))) == pytest.approx(9, abs=0.1)
    assert cu.organ_segments("Heart") == ["T1", "T2", "T3", "T4", "T5"]
    assert set(cu.organ_segments("Heart", "russian")) == {"C3", "C4", "T1", "T2", "T3", "T4", "T5", "T6", "T7",
                                                          "T8"}
    assert cu.WILTSHIRE2010_FLOW_ML_MIN["massage"] == 540 and rest == 766
    assert cu.EU_ACTION_VALUE_M_S2 == 2.5


# ------------------------------------------------------------------------------------------------ choices


def _right(words: str) -> str:
    q = _question(words)
    assert q["kind"] == "MultipleChoice"
    return q["options"][q["answer"]]


def test_ct_fibres_prefer_a_slow_skin_warm_stroke():
    q = _question("C-tactile (CT) fibres")
    settings = [(30, 42), (3, 32), (3, 18)]  # the first three options, in order
    responses = [float(cu.ct_response(speed, temp)) for speed, temp in settings]
    best = max(range(3), key=responses.__getitem__)
    assert q["answer"] == best
    assert "3 cm/s" in q["options"][best] and "32 °C" in q["options"][best]


def test_lotion_question_rests_on_the_sourced_direction_not_on_the_courses_own_value():
    """Sourced: hydration, glycerin and petrolatum RAISE skin friction (sivamani2003, derler2012). The lotion's
    typical μ (0.6) is the course's own choice, so the graded answer may only use the direction."""
    lotion, dry = cu.LUBRICANTS["lotion"], cu.LUBRICANTS["dry"]
    assert "sivamani2003" in lotion["source"] and "ours" in lotion["source"]
    q = _question("moisturising lotion")
    right = _right("moisturising lotion")
    assert right.startswith("More heat") and "raise friction" in right
    # the direction holds for every lotion friction the course allows above dry skin, not only for its 0.6
    def heat(mu):
        return cu.heat_flux_w_m2(20, 10, 10, mu, 0.5)
    for mu in (dry["mu"] * 1.01, 0.5, lotion["mu"], lotion["high"]):
        assert heat(mu) > heat(dry["mu"])
    assert lotion["low"] >= dry["mu"], "the course's lotion range must not dip below dry skin's friction"
    # the answer does not rank by, or state as a fact, the value the course chose
    assert "0.6" not in q["prompt"] and all("0.6" not in option for option in q["options"])
    assert "own choice" in q["explanation"]


def test_np1_detects_30_hz_and_p_detects_60_hz():
    assert cu.P_NP1_CROSSOVER_HZ == pytest.approx(40)
    assert cu.detecting_channel(30) == "NP I" and cu.detecting_channel(60) == "P"
    assert _right("detects a 30 Hz vibration first") == "Meissner (NP I) at 30 Hz, Pacinian (P) at 60 Hz"


@pytest.mark.parametrize("frequency_hz", [80, 100, 150])
def test_duration_flips_the_net_effect_in_the_model(frequency_hz):
    short = cu.vibration_session(frequency_hz=frequency_hz, amplitude_mm=1.0, force_n=30, duration_min=1)
    long = cu.vibration_session(frequency_hz=frequency_hz, amplitude_mm=1.0, force_n=30, duration_min=30)
    assert short.net_index_end > 0 > long.net_index_end
    assert _right("dependable switch").startswith("Duration")
    assert "own reading" in _right("dependable switch")


def test_long_vibration_calms_at_every_frequency():
    low, high = cu.FREQUENCY_RANGE_HZ
    for f in (low, 30, 50, 100, 150, high):
        assert cu.vibration_session(frequency_hz=f, amplitude_mm=1.0, force_n=30, duration_min=30).net_index_end < 0


def test_tendon_reflex_is_depressed_while_vibration_runs():
    for f in (50, 100):
        s = cu.vibration_session(frequency_hz=f, amplitude_mm=1.0, force_n=30, duration_min=5)
        assert s.tendon_reflex_end < 1
    assert _right("Achilles tendon").startswith("It is depressed")
    assert _verdict("07", "C20") == "not supported as stated"


def test_forearm_skin_dilates_and_fingers_constrict_more_at_125_hz():
    amplitude = cu.amplitude_for_acceleration_mm(40, 20)
    assert cu.skin_blood_flow(10, 40, amplitude, site="forearm") > 1
    finger = {f: cu.skin_blood_flow(30, f, cu.amplitude_for_acceleration_mm(f, math.sqrt(2) * 22), site="finger")
              for f in (31.5, 125)}
    assert finger[125] < finger[31.5] < 1
    assert _right("30 or 50 Hz (5–6 mm) on the forearm") == (
        "Forearm skin vessels widen; finger vessels narrow, more at 125 Hz than at 31.5 Hz")


def test_planner_warnings_come_from_the_notebooks_the_answer_names():
    """Each kind of warning the planner gives points to a notebook that the right option lists for it."""
    right = _right("warnings of the session planner")
    hot = cu.SessionPlan("warming up", [cu.RubbingStep(minutes=10, force_n=30, area_cm2=20, speed_cm_s=30,
                                                       lubricant="dry")])
    warnings = [*cu.plan_warnings(hot), *cu.plan_warnings(_plan(12, minutes=30), ["wound"]),
                *cu.plan_warnings(cu.SessionPlan("calming", [cu.StrokingStep(speed_cm_s=25),
                                                             cu.KneadingStep(aim="flush lactate")]))]
    named = {"heat": {"04"}, "exposure": {"08"}, "contraindication": {"08"}, "goal": {"03", "05", "07"}}
    assert {w.kind for w in warnings} == set(named)
    for w in warnings:
        assert w.notebook[:2] in named[w.kind], f"{w.kind} warning points to {w.notebook}"
        assert f"({w.notebook[:2]}" in right or f", {w.notebook[:2]}" in right, f"{w.notebook} not in the option"


def test_the_hands_warning_depends_on_the_handle_what_if_and_sessions_not_on_the_head():
    assert _hands_warning(_plan(5)) and not _hands_warning(_plan(4))
    assert not _hands_warning(_plan(5, handle_m_s2=3))  # the handle's what-if value decides
    assert _hands_warning(_plan(5, frequency_hz=30)) and not _hands_warning(_plan(4, frequency_hz=300))


def test_verdict_questions_match_the_evidence_boxes():
    assert _right("deep stroking carries metabolic products").lower().startswith(_verdict("03", "C15"))
    assert _verdict("02", "C11").startswith("traditional claim only")
    assert "tradition only" in _markdown(_notebook("02")).lower()  # the zone-treats-organ bullet of C10
    assert _right("massaging the zone treats the organ").startswith("Traditional claim only")


# ------------------------------------------------------------------------------------------------ the recap


def _recap_rows() -> dict[str, list[str]]:
    rows = {}
    for line in _markdown(REVIEW).splitlines():
        m = re.match(r"^\| (C\d\d) \|(.*)\|\s*$", line)
        if m:
            assert m.group(1) not in rows, f"{m.group(1)} is listed twice"
            rows[m.group(1)] = [c.strip() for c in m.group(2).split("|")]
    return rows


def test_recap_lists_every_claim_once_with_its_verdict_and_notebook():
    rows = _recap_rows()
    assert sorted(rows) == [f"C{i:02d}" for i in range(1, 25)]
    for claim, (_short, verdict, links) in rows.items():
        home = HOME[claim]
        assert verdict.lower() == _verdict(home, claim), f"{claim}: recap says {verdict!r}"
        assert f"[{home}]({_notebook(home).name})" in links, f"{claim}: no link to notebook {home}"


def test_recap_verdicts_use_the_four_words():
    four = ("supported", "mixed", "not supported", "traditional claim only")
    for claim, (_short, verdict, _links) in _recap_rows().items():
        assert any(w in verdict.lower() for w in four), f"{claim}: {verdict!r} uses none of the four verdicts"


def test_c01_has_a_verdict_with_a_source():
    text = _markdown(_notebook("01"))
    box = text[text.index("**Evidence box · C01**"):].split("> **Evidence box", 1)[0].split("\n\n", 1)[0]
    assert _verdict("01", "C01").startswith("supported")
    assert cu.find_citations(box), "C01's evidence box cites no source"


# ------------------------------------------------------------------------------------------------ progress


def test_no_cell_resets_progress():
    nb = nbformat.read(REVIEW, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert "reset_progress" not in _source(cell), "running the notebook must never erase progress"
    assert "cu.reset_progress()" in _markdown(REVIEW), "the notebook should tell the learner how to reset"


def test_new_cell_instruction_matches_notebook_00():
    """00 teaches 'press Esc and then B'; 10's reset instruction must use the same keys, not a bare B."""
    start = re.sub(r"\s+", " ", _markdown(NOTEBOOKS / "00_start_here.ipynb"))
    review = re.sub(r"\s+", " ", _markdown(REVIEW))
    keys = "or press **Esc** and then **B**"
    assert keys in start and keys in review
    assert "(or press **B**)" not in review
    assert "the **+** button in the notebook's toolbar" in start and "**+** in the notebook's toolbar" in review


def test_switch_question_distractor_speaks_of_reflexes_not_calm():
    q = _question("dependable switch")
    assert "Amplitude: larger vibration always inhibits reflexes" in q["options"]
    assert not [o for o in q["options"] if "calm" in o.lower()]
    assert "Reflex depression also appears within a minute" in q["explanation"]


@pytest.mark.notebook
def test_running_the_notebook_keeps_progress_and_shows_it(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    progress = tmp_path / "home" / ".massage_course" / "progress.json"
    monkeypatch.setenv("MASSAGE_COURSE_PROGRESS", str(progress))  # the kernel inherits this environment
    cu.record_answer(AnswerEvent("07", "07 self-check", 2, "07 self-check#2", correct=True, first_try=True,
                                 answer="It is depressed"))
    cu.record_answer(AnswerEvent("07", "07 self-check", 3, "07 self-check#3", correct=False, first_try=True,
                                 answer="It fell at both, equally"))
    before = progress.read_text(encoding="utf-8")

    nb = nbformat.read(REVIEW, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()

    assert progress.read_text(encoding="utf-8") == before, "running notebook 10 changed the progress file"
    assert set(cu.progress_summary()) == {"07"}
    assert cu.progress_summary()["07"] == {"answered": 2, "first_try": 1, "now": 1}

    cell = next(c for c in nb.cells if c.cell_type == "code" and "show_progress" in _source(c))
    printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert str(progress) in printed
    shown = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs
                    if o.output_type in ("execute_result", "display_data"))
    assert "<th scope='row'>07</th>" in shown
    assert "1 of 2" in shown
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
