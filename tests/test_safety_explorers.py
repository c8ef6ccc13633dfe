"""Notebook 08's explorers and contraindications checklist, driven through their real controls (Agg backend).

Expected numbers are worked by hand from the A(8) definition (arithmetic in the comments) or come from
science.md (§5 Wh table, §12 contraindication lists), not from the explorers' own output.
"""

from __future__ import annotations

import math
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import course_utils as cu
from course_utils.models import contraindications as ci

from .textcheck import text_problems


@pytest.fixture
def day(new_explorer):
    return new_explorer(cu.TherapistDayExplorer)


@pytest.fixture
def wh(new_explorer):
    return new_explorer(cu.WhWeightingExplorer)


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _move(explorer, **values):
    """Move the real slider widgets one at a time, as a learner would."""
    for name, value in values.items():
        explorer.controls_by_name[name].value = value


# ------------------------------------------------------------------------------------------------ the day
def test_day_controls_say_what_if_and_show_units(day):
    specs = {c.name: c for c in day.controls}
    assert (specs["gun_m_s2"].low, specs["gun_m_s2"].high, specs["gun_m_s2"].unit) == (0, 10, "m/s²")
    assert (specs["gun_min"].low, specs["gun_min"].high, specs["gun_min"].unit) == (0, 240, "min")
    for name in ("gun_m_s2", "second_m_s2"):
        assert "what if" in day.controls_by_name[name].description
        assert day.controls_by_name[name].description.endswith("(m/s²)")
    assert "what-if" in day.intro and "handle" in day.intro


def test_day_start_up_numbers_are_the_hand_worked_ones(day):
    # gun 3 m/s² × 60 min + second 2 m/s² × 30 min: A(8)² = (9·60 + 4·30)/480 = 660/480 = 1.375, A(8) = 1.173
    text = _plain(day.text.value)
    assert "A(8) = 1.17 m/s²" in text
    assert "below the EU action value" in text
    # time left to 2.5: gun 480·(6.25 − 1.375)/9 = 260 min = 4 h 20 min; second 480·4.875/4 = 585 min, over 8 h
    assert ("Time left before the action value: 4 h 20 min of the gun or more than a working day of the second "
            "device") in text
    # Annex C: 31.8·1.173^−1.06 = 27 years, for a group of workers, and below the fitted exposures
    assert "27 years" in text and "1 in 10 workers exposed like this" in text and "not a forecast for you" in text
    assert "extrapolation" in text
    np.testing.assert_allclose(day.end_dot.get_offsets()[0], [90.0, math.sqrt(1.375)])


def test_moving_the_sliders_to_two_hours_at_5_reaches_the_action_value(day):
    _move(day, second_m_s2=0.0, second_min=0.0, gun_m_s2=5.0, gun_min=120.0)
    # 5·√(120/480) = 2.5 m/s²: exactly the action value, reached at the end of the 120 min
    text = _plain(day.text.value)
    assert "A(8) = 2.50 m/s²" in text and "the EU action value is reached" in text
    assert "extrapolation" not in text and "employer" not in text and "worker may" not in text
    # the limit: 480·(25 − 6.25)/25 = 360 min = 6 h more of the gun
    assert "The action value is already reached; time left before the limit value: 6 h of the gun." in text
    np.testing.assert_allclose(day.crossings.get_offsets(), [[120.0, 2.5]])
    np.testing.assert_allclose(day.device_points["gun"].get_offsets()[0], [5.0, 120.0])


def test_the_dose_curve_rises_device_after_device_to_the_day_total(day):
    day.apply_preset("Two devices")
    gun_x, gun_y = day.day_lines["gun"].get_data()
    sec_x, sec_y = day.day_lines["second"].get_data()
    # gun 4 m/s² for 120 min: 4·√(120/480) = 2.0 m/s² when the second device starts
    assert gun_x[-1] == pytest.approx(120.0) and gun_y[-1] == pytest.approx(2.0)
    assert sec_x[0] == pytest.approx(120.0) and sec_y[0] == pytest.approx(2.0)
    # then 8 m/s² for 60 min: √((16·120 + 64·60)/480) = √12 = 3.464 after 180 min
    assert sec_x[-1] == pytest.approx(180.0) and sec_y[-1] == pytest.approx(math.sqrt(12))
    assert np.all(np.diff(np.concatenate([gun_y, sec_y])) >= 0)
    # the action value is crossed during the second device: 4 + 64·T/480 = 6.25 → T = 16.875 min → 136.875 min
    np.testing.assert_allclose(day.crossings.get_offsets(), [[136.875, 2.5]])
    # limit: 480·(25 − 12)/16 = 390 min = 6 h 30 min of the gun, or 480·13/64 = 97.5 min of the second device
    text = _plain(day.text.value)
    assert "before the limit value: 6 h 30 min of the gun or 1 h 38 min of the second device" in text


def test_over_the_limit_preset_marks_both_crossings(day):
    day.apply_preset("Over the limit")
    # 10 m/s² for 240 min: A(8) = 10·√(240/480) = 7.07; action after 480·(2.5/10)² = 30 min, limit after 120 min
    np.testing.assert_allclose(day.crossings.get_offsets(), [[30.0, 2.5], [120.0, 5.0]])
    text = _plain(day.text.value)
    assert "A(8) = 7.07 m/s²" in text and "the EU limit value is reached" in text
    assert "the limit value is already reached." in text


def test_square_law_presets_give_the_same_dose(day):
    day.apply_preset("Strong, 30 min")
    strong = _plain(day.text.value)
    day.apply_preset("Half as strong, 2 h")
    longer = _plain(day.text.value)
    # 10·√(30/480) = 10·0.25 = 2.5 and 5·√(120/480) = 5·0.5 = 2.5
    assert "A(8) = 2.50 m/s²" in strong and "A(8) = 2.50 m/s²" in longer


def test_nothing_vibrating_says_so_without_error(day):
    _move(day, gun_m_s2=0.0, second_m_s2=0.0)
    assert day.last_error is None
    text = _plain(day.text.value)
    assert "A(8) = 0.00 m/s²" in text and "never reached" in text and "years" not in text
    assert len(day.crossings.get_offsets()) == 0


@pytest.mark.parametrize("preset", list(cu.TherapistDayExplorer.presets))
def test_day_each_preset_changes_figure_and_text_and_reads_cleanly(day, preset):
    before = (day.text.value, day.end_dot.get_offsets().copy())
    day.apply_preset(preset)
    assert day.last_error is None
    assert day.text.value != before[0]
    assert not np.allclose(day.end_dot.get_offsets(), before[1])
    assert text_problems(day.fig) == []


def test_day_reads_cleanly_at_start_up_and_resets(day):
    start = day.text.value
    assert text_problems(day.fig) == []
    day.apply_preset("Over the limit")
    day.reset_button.click()
    assert day.text.value == start
    assert day.values == {c.name: c.value for c in day.controls}


def test_day_presets_are_what_ifs_on_the_slider_grid(day):
    for values in day.presets.values():
        for name, value in values.items():
            spec = {c.name: c for c in day.controls}[name]
            k = (value - spec.low) / spec.step
            assert k == pytest.approx(round(k)), f"{name}={value} is off the {spec.step} grid"


# ------------------------------------------------------------------------------------------------ Wh explorer
@pytest.mark.parametrize("frequency_hz, table", [(10.0, 0.951), (100.0, 0.160), (1000.0, 0.0135)])
def test_wh_point_follows_the_frequency_slider_and_matches_the_standard(wh, frequency_hz, table):
    # science.md §5 table at exact third-octave centres 10, 100, 1000 Hz
    _move(wh, frequency_hz=frequency_hz, acceleration_m_s2=10.0)
    x, y = wh.point.get_offsets()[0]
    assert x == pytest.approx(frequency_hz)
    assert y == pytest.approx(table, abs=0.0005)
    assert wh.marker_line.get_xdata()[0] == pytest.approx(frequency_hz)
    assert f"counts as {10 * table:#.3g} m/s²" in _plain(wh.text.value)


def test_wh_acceleration_slider_scales_what_counts(wh):
    _move(wh, frequency_hz=100.0, acceleration_m_s2=20.0)
    # 20 m/s² × 0.160 = 3.20 m/s²
    assert "20 m/s² counts as 3.20 m/s²" in _plain(wh.text.value)
    assert "20 m/s² counts as 3.20 m/s²" in wh.readout.get_text()


def test_wh_text_names_the_part_of_the_curve(wh):
    _move(wh, frequency_hz=2.0)
    assert "hardly counts" in wh.text.value
    _move(wh, frequency_hz=12.0)
    assert "almost fully" in wh.text.value
    _move(wh, frequency_hz=2000.0)
    assert "almost nothing counts" in wh.text.value


def test_wh_curve_and_bands_show_where_massage_devices_sit(wh):
    ax = wh.ax
    assert ax.get_xscale() == "log"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "massage guns, 20–53 Hz" in labels  # science.md §6: 1200–3200 percussions/min
    assert "pain-relief vibrators, 50–150 Hz" in labels  # Lundeberg 1983 (notebook 07)


@pytest.mark.parametrize("preset", [None, *cu.WhWeightingExplorer.presets])
def test_wh_text_problems_at_start_up_and_every_preset(wh, preset):
    if preset:
        wh.apply_preset(preset)
        assert wh.last_error is None
    assert text_problems(wh.fig) == []


# ------------------------------------------------------------------------------------------------ contraindications
def test_nccih_groups_have_the_scopes_science_md_gives():
    # science.md §12, NCCIH: avoid massage / avoid it locally / consult first
    # bleeding: the 2019 NCCIH wording rules out only forceful or deep massage; weak bone: its earlier wording says
    # avoid massage (the stricter source governs); PVD falls under damaged vessels, neuropathy under damaged nerves
    by_group = {
        ci.NO_MASSAGE: {"dvt", "vessels", "fever", "weak_bone"},
        ci.AVOID_AREA: {"wound", "tumour", "nerves", "infection", "radiotherapy", "neuropathy", "pvd"},
        ci.ASK_FIRST: {"pregnancy", "cancer", "fragile_skin", "heart", "dermatomyositis", "bleeding", "weak_bone",
                       "pvd"},
    }
    for scope, keys in by_group.items():
        for key in keys:
            item = ci.CONTRAINDICATIONS[key]
            assert scope in item.scopes and "nccih_massage" in item.sources, key
    nccih = {k for k, c in ci.CONTRAINDICATIONS.items() if "nccih_massage" in c.sources}
    assert nccih == set().union(*by_group.values())


def test_vibration_only_items_come_from_the_device_lists():
    # science.md §12, manufacturers: joint replacement, implants or pacemakers, epilepsy, stones, migraine, retina
    only_vibration = {k for k, c in ci.CONTRAINDICATIONS.items() if c.scopes == (ci.NO_VIBRATION,)}
    assert only_vibration == {"joint_replacement", "implant", "epilepsy", "stones", "migraine", "retina"}
    for key in only_vibration:
        assert ci.CONTRAINDICATIONS[key].sources == ("vibration_device_lists",)
    assert ci.NO_VIBRATION in ci.CONTRAINDICATIONS["pregnancy"].scopes  # the lists add pregnancy for devices


def test_every_item_is_complete_and_cites_registered_sources():
    for item in ci.CONTRAINDICATIONS.values():
        assert item.label and item.reason.endswith(".")
        assert item.scopes and set(item.scopes) <= set(ci.SCOPES)
        assert item.sources and set(item.sources) <= set(cu.REFERENCES)


@pytest.mark.parametrize("ticked, headline", [
    ([], "nothing ticked"),
    (["wound"], ci.AVOID_AREA),
    (["epilepsy", "wound"], ci.NO_VIBRATION),
    (["pregnancy", "wound"], ci.ASK_FIRST),
    (["dvt", "pregnancy", "wound"], ci.NO_MASSAGE),
    (["weak_bone"], ci.NO_MASSAGE),
    (["neuropathy"], ci.VIBRATION_CARE),
    (["pvd"], ci.ASK_FIRST),
    (["surgery"], ci.ASK_FIRST),
])
def test_verdict_takes_the_strictest_scope(ticked, headline):
    assert ci.contraindication_verdict(ticked).headline == headline


def test_verdict_lists_every_scope_that_applies_unless_massage_is_ruled_out():
    v = ci.contraindication_verdict(["wound", "epilepsy"])
    assert list(v.by_scope) == [ci.NO_VIBRATION, ci.AVOID_AREA]
    assert "no vibration device" in v.text and "keep away from the affected area" in v.text
    v = ci.contraindication_verdict(["fever", "wound"])
    assert v.text.startswith("The checklist says: no massage for this person")
    # the wound's rule is not part of the stop; it is named as what still applies once massage is cleared
    first, later = v.text.split("Also ticked, and still to follow once massage is cleared:")
    assert "affected area" not in first and "affected area" in later


def test_bleeding_asks_first_and_rules_out_only_deep_pressure():
    v = ci.contraindication_verdict(["bleeding"])
    assert v.headline == ci.ASK_FIRST and ci.NO_DEEP in v.by_scope and ci.NO_MASSAGE not in v.by_scope
    assert "no deep or forceful massage and no percussion" in v.text
    assert ci.NO_VIBRATION in ci.CONTRAINDICATIONS["weak_bone"].scopes  # makers: severe osteoporosis, fresh fracture


# What each source says, item by item (science.md §12; the NCCIH wordings as read in nccih_massage and
# nccih_massage_earlier). Where sources disagree the stricter governs, so every item must keep every scope that any
# of its sources gives: relaxing one (e.g. weak bone back to "light pressure" only) fails here.
WHAT_EACH_SOURCE_SAYS = {
    "dvt": {"nccih_massage": {ci.NO_MASSAGE}},
    "vessels": {"nccih_massage": {ci.NO_MASSAGE}},
    "fever": {"nccih_massage": {ci.NO_MASSAGE}},
    "bleeding": {"nccih_massage": {ci.NO_DEEP},  # 2019: no forceful or deep massage (revises its older wording)
                 "nccih_massage_earlier": {ci.NO_DEEP}},  # its secondary copy: no vigorous massage
    "weak_bone": {"nccih_massage": {ci.NO_MASSAGE},  # science.md §12: avoid massage with weakened bone
                  "nccih_massage_earlier": {ci.AVOID_AREA},  # its secondary copy: not over weakened bone
                  "vibration_device_lists": {ci.NO_VIBRATION}},  # severe osteoporosis, fractures of 6–12 weeks
    "surgery": {"nccih_massage_earlier": {ci.AVOID_AREA}},  # the copy: not over a recent operation
    "pvd": {"nccih_massage": {ci.ASK_FIRST, ci.AVOID_AREA}},  # damaged vessels: at least ask first, not over them
    "neuropathy": {"nccih_massage": {ci.AVOID_AREA}},  # not over damaged nerves
    "wound": {"nccih_massage": {ci.AVOID_AREA}},
    "tumour": {"nccih_massage": {ci.AVOID_AREA}},
    "nerves": {"nccih_massage": {ci.AVOID_AREA}},
    "infection": {"nccih_massage": {ci.AVOID_AREA}},
    "radiotherapy": {"nccih_massage": {ci.AVOID_AREA}},
    "pregnancy": {"nccih_massage": {ci.ASK_FIRST}, "vibration_device_lists": {ci.NO_VIBRATION}},
}


@pytest.mark.parametrize("key", sorted(WHAT_EACH_SOURCE_SAYS))
def test_the_stricter_source_governs_no_item_is_looser_than_any_of_its_sources(key):
    item = ci.CONTRAINDICATIONS[key]
    for source, scopes in WHAT_EACH_SOURCE_SAYS[key].items():
        assert source in item.sources, (key, source)
        assert scopes <= set(item.scopes), (key, source, item.scopes)


def test_weak_bone_rules_out_massage_until_cleared_and_keeps_the_courses_stricter_reading_after():
    item = ci.CONTRAINDICATIONS["weak_bone"]
    assert item.scopes[0] == ci.NO_MASSAGE and {ci.ASK_FIRST, ci.NO_DEEP, ci.NO_VIBRATION, ci.AVOID_AREA} <= set(
        item.scopes)
    assert "no massage until a health professional clears it" in item.reason
    assert "course's own stricter reading" in item.reason and "light pressure only elsewhere" not in item.reason
    after = ("nothing over the fracture or the weakened bone, light pressure only everywhere else and no vibration "
             "device, unless the health professional advises something stricter")
    assert after in item.reason  # for every weak bone: a fracture or bone cancer keeps the limits too
    assert "weakened in one place" not in item.reason
    v = ci.contraindication_verdict(["weak_bone"])
    assert v.headline == ci.NO_MASSAGE and "until a health professional says it is safe" in v.text
    assert "course's own stricter reading" in v.text and after in v.text
    assert "light pressure only elsewhere" not in v.text


def test_pvd_reason_asks_whether_the_vessels_are_damaged():
    reason = ci.CONTRAINDICATIONS["pvd"].reason
    assert "can involve damaged blood vessels" in reason and "is a case of" not in reason
    assert "If they are damaged, tick Damaged blood vessels too, which rules out massage" in reason
    # until the answer comes, and when the vessels are healthy, the limb itself is still left alone
    assert "Until a health professional has said whether the vessels are damaged, do not massage the affected " \
        "limb" in reason
    assert "if not, massage elsewhere but keep off that limb" in reason and "Otherwise" not in reason
    assert "stricter one governs" in ci.STRICTER_SOURCE_GOVERNS and "never loosens" in ci.STRICTER_SOURCE_GOVERNS


@pytest.mark.parametrize("key", ["raynaud", "pvd", "neuropathy"])
def test_vessel_and_nerve_conditions_call_for_care_with_vibration(key):
    item = ci.CONTRAINDICATIONS[key]
    assert ci.VIBRATION_CARE in item.scopes and "ours" not in item.sources
    assert "course's own reading" in item.reason  # the vibration care is the course's reading: it says so
    v = ci.contraindication_verdict([key])
    assert "vibration device only with care (the course's own reading)" in v.text


def test_neuropathy_and_pvd_also_keep_off_the_area_as_nccih_says_for_damaged_nerves_and_vessels():
    for key in ("neuropathy", "pvd"):
        assert ci.AVOID_AREA in ci.CONTRAINDICATIONS[key].scopes, key
        assert "no list" not in ci.CONTRAINDICATIONS[key].reason, key  # NCCIH names damaged nerves and vessels
    assert ci.ASK_FIRST in ci.CONTRAINDICATIONS["pvd"].scopes
    assert "heat" in ci.CONTRAINDICATIONS["neuropathy"].reason
    assert ci.CONTRAINDICATIONS["raynaud"].scopes == (ci.VIBRATION_CARE,)  # no source names Raynaud's for massage


def test_recent_surgery_keeps_off_the_area_and_asks_first():
    item = ci.CONTRAINDICATIONS["surgery"]
    assert set(item.scopes) == {ci.ASK_FIRST, ci.AVOID_AREA} and item.sources == ("nccih_massage_earlier",)
    note = cu.REFERENCES["nccih_massage_earlier"].note
    assert "does not name NCCIH" in note and "recent surgery" in note and "aneurysm" in note


def test_proper_names_keep_their_capital_inside_the_verdict():
    assert "because of: Raynaud's phenomenon" in ci.contraindication_verdict(["raynaud"]).text
    assert "because of: Blood clot" not in ci.contraindication_verdict(["dvt"]).text


def test_verdict_refuses_unknown_items_and_non_lists():
    with pytest.raises(ValueError, match="ticked"):
        ci.contraindication_verdict(["headache"])
    with pytest.raises(TypeError, match="ticked"):
        ci.contraindication_verdict("pregnancy")


@pytest.fixture
def checklist():
    return cu.ContraindicationsChecklist()


def test_checklist_starts_with_nothing_ticked(checklist):
    assert checklist.ticked == []
    assert "Nothing ticked" in checklist.verdict.value and checklist.details.value == ""
    assert len(checklist.checkboxes) == len(ci.CONTRAINDICATIONS)


@pytest.mark.parametrize("key", list(ci.CONTRAINDICATIONS))
def test_ticking_a_box_shows_its_reason_and_scope(checklist, key):
    item = ci.CONTRAINDICATIONS[key]
    checklist.checkboxes[key].value = True
    details = checklist.details.value
    assert item.reason.replace("'", "&#x27;") in details
    for scope in item.scopes:
        assert scope in details
    assert ci.contraindication_verdict([key]).text.split(" (")[0] in checklist.verdict.value
    checklist.checkboxes[key].value = False
    assert checklist.details.value == ""


def test_checklist_combines_ticks_and_clear_unticks_all(checklist):
    checklist.checkboxes["pregnancy"].value = True
    checklist.checkboxes["wound"].value = True
    verdict = _plain(checklist.verdict.value)
    assert verdict.startswith("Verdict: The checklist says:")
    assert "ask a health professional before massage" in verdict
    assert "no vibration device" in verdict and "keep away from the affected area" in verdict
    assert "device makers (low quality)" in checklist.details.value
    checklist.clear_button.click()
    assert checklist.ticked == [] and "Nothing ticked" in checklist.verdict.value


def test_checklist_widget_holds_every_checkbox(checklist):
    box = checklist.widget()
    grid = box.children[1]
    assert set(grid.children) == set(checklist.checkboxes.values())
    assert "contraindications checklist" in box.children[0].value
    assert "stricter one governs" in box.children[0].value
    assert "cu-wrap-labels" in grid._dom_classes and "white-space: normal" in box.children[0].value  # no "…"


def test_checklist_has_the_note_for_a_therapist_who_already_has_symptoms(checklist):
    note = _plain(checklist.widget().children[-1].value)
    for words in ("tingle", "numb", "turn white", "until a doctor", "has assessed you", "keep your hands warm",
                  "hand-arm vibration syndrome"):
        assert words in note, words
    assert "before you use vibrating devices further" not in note  # the old, self-contradicting advice


# ------------------------------------------------------------------------------------------------ in the browser
@pytest.mark.browser
@pytest.mark.timeout(300)
def test_08_in_jupyterlab_drag_preset_and_checkbox_update_without_errors(tmp_path):
    """Notebook 08 run in JupyterLab: drag the day explorer's slider with the mouse, press a preset, tick a box."""
    from .conftest import require_browser

    require_browser()
    from .lab_harness import Lab, wait_until

    name = "08_devices_and_safety.ipynb"
    with Lab([name, "glossary.ipynb"]) as lab:
        lab.open_notebook(name)
        lab.run_all()
        canvas = lab.figure_canvas(1)  # figure 0 is the Wh weighting, figure 1 the therapist's day
        text = lab.page.locator(".widget-html", has_text="What if: gun").first
        before_text = wait_until(text.inner_text, lambda t: "A(8) = 1.17" in t, 30)
        assert "A(8) = 1.17" in before_text

        def kernel_and_browser():
            return lab.kernel_figure_fingerprint(1), lab.canvas_fingerprint(canvas)

        kernel, shown = wait_until(kernel_and_browser, lambda pair: pair[0] == pair[1], 20)
        assert shown == kernel, "the first frame in the browser differs from the kernel's"
        before = lab.canvas_region_hashes(canvas, 1, 2)

        lab.drag_slider("Gun use per day (min)", 100)
        after = wait_until(lambda: lab.canvas_region_hashes(canvas, 1, 2),
                           lambda h: all(a != b for a, b in zip(h, before, strict=True)))
        assert all(a != b for a, b in zip(after, before, strict=True)), "both panels must redraw after the drag"
        assert wait_until(text.inner_text, lambda t: t != before_text) != before_text

        lab.page.get_by_role("button", name="Over the limit").click()
        assert "A(8) = 7.07" in wait_until(text.inner_text, lambda t: "A(8) = 7.07" in t)
        kernel, shown = wait_until(kernel_and_browser, lambda pair: pair[0] == pair[1], 10)
        assert shown == kernel, "the browser's figure differs from the kernel's after the preset"

        lab.page.get_by_title("Epilepsy").click()
        verdict = lab.page.locator(".widget-html", has_text="Verdict:").first
        expected = cu.contraindication_verdict(["epilepsy"]).text  # the model's verdict, shown word for word
        assert "vibration" in expected.lower()
        assert expected in wait_until(verdict.inner_text, lambda t: expected in t)
        lab.page.screenshot(path=str(tmp_path / "08_after.png"))
        lab.assert_no_errors()


def test_a_no_massage_verdict_still_names_what_the_other_ticked_items_rule_out():
    # DVT stops the plan; pregnancy (no vibration device, ask first) must not be forgotten once the clot is cleared
    v = ci.contraindication_verdict(["dvt", "pregnancy"])
    assert v.headline == ci.NO_MASSAGE
    tail = v.text.split("Also ticked, and still to follow once massage is cleared:", 1)
    assert len(tail) == 2, v.text
    assert "no vibration device on this person" in tail[1] and "pregnancy" in tail[1]
    assert "blood clot" not in tail[1]  # the stop's own cause is not repeated as "still to follow"
    # nothing else ticked: no such sentence
    assert "Also ticked" not in ci.contraindication_verdict(["dvt"]).text
    assert ci.still_applies_once_cleared(["dvt", "fever"]) == ""
    # the planner's stop says the same
    import course_utils as cu
    [stop] = [w for w in cu.plan_warnings(cu.SessionPlan("recovery", [cu.VibrationStep(minutes=5)]),
                                          ["dvt", "pregnancy"]) if w.kind == "contraindication"]
    assert stop.severity == "stop" and "no vibration device on this person (because of: pregnancy)" in stop.message


def test_a_therapist_with_symptoms_is_told_to_stop_not_to_limit():
    import course_utils as cu
    from course_utils.models import planner as pm
    for text in (ci.THERAPIST_SYMPTOMS_NOTE, pm._HANDS_ADVICE):
        assert "until a doctor" in text and "limit" not in text, text
        assert "top using vibrating devices until" in text, text
    assert cu is not None


def test_bleeding_reason_rules_out_all_percussion_and_says_which_nccih_wording_it_follows():
    reason = ci.CONTRAINDICATIONS["bleeding"].reason
    assert "leaves out all percussion" in reason
    assert "a vibration device only if the health professional agrees" in reason
    assert "names firm percussion" not in reason  # NCCIH says forceful or deep; counting percussion in is ours
    assert "older page said to avoid massage" in reason and "same source's revision" in reason
    assert "(firm percussion included)" not in reason  # the checklist's own scope says: no percussion


def test_raynauds_care_reaches_beyond_the_vibrated_spot():
    reason = ci.CONTRAINDICATIONS["raynaud"].reason
    assert "beyond the vibrated spot" in reason and "ask a health professional first" in reason
    assert "stop if fingers or toes go pale" in reason and "lowest setting" in reason
