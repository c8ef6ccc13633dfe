"""Helper package for the interactive therapeutic-massage course.

Layout (the rule "models never import widgets" shows in it):

- ``course_utils.models``: the science, pure functions and constants (numpy only);
- ``course_utils.explorers``: the interactive panels that draw the models (ipywidgets, ipympl);
- ``widgets``, ``quiz``, ``plots``, ``references``, ``validation``, ``course``: the course's machinery.

Notebooks use the flat API, ``cu.name``. Names are loaded lazily on first use (PEP 562), so ``import
course_utils`` is quick and ``import course_utils.models`` pulls in no widget or plotting code.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> the submodule (relative to this package) that defines it
_SOURCES: dict[str, tuple[str, ...]] = {
    ".course": (
        "DISCLAIMER",
        "check_setup",
        "setup_report",
    ),
    ".explorers": (
        "CTStrokingExplorer",
        "KneadingWashoutExplorer",
        "PressureDepthExplorer",
        "ReceptorChannelsExplorer",
        "RubbingHeatExplorer",
        "SegmentZonesExplorer",
        "StrokeDepthExplorer",
        "TissueResponseExplorer",
        "VibrationExplorer",
        "WaveformExplorer",
    ),
    ".models": (
        "AMPLITUDE_RANGE_MM",
        "BASELINE_SKIN_TEMPERATURE_C",
        "BLOOD",
        "Band",
        "CHANNELS",
        "CHANNEL_RECEPTOR",
        "CLAIMED_FLOW_CHANGE_PCT",
        "COMPARTMENT_VOLUME_ML",
        "CONSTRICTION_GAIN",
        "CT_PEAK_SPEED_CM_S",
        "CT_PREFERRED_BAND_CM_S",
        "CT_TUNING",
        "DILATION_GAIN",
        "DURATION_RANGE_MIN",
        "EXPLORER_RANGES",
        "EXTRACTION_FRACTION",
        "FORCE_RANGE_N",
        "FREQUENCY_RANGE_HZ",
        "GateState",
        "HEAT_PAIN_THRESHOLD_C",
        "HEAT_SHARE_INTO_SKIN",
        "IA_PEAK_FREQUENCY_HZ",
        "INITIAL_CONCENTRATION_MMOL_L",
        "Kinematics",
        "LUBRICANTS",
        "MEASURED_STUDIES",
        "MODEL_LIMIT_C",
        "NP1_FLAT_BAND_HZ",
        "NP1_LEVEL_DB",
        "NP2_ABOVE_P_DB",
        "NP3_LEVEL_DB",
        "NervousCourse",
        "ORGAN_SEGMENTS",
        "P_BEST_FREQUENCY_HZ",
        "P_MIN_THRESHOLD_DB",
        "PainCourse",
        "REGIONS",
        "SCHOOLS",
        "SEGMENTS",
        "SKIN",
        "SKIN_PERFUSION_ML_MIN_KG",
        "SKIN_TEMPERATURE_C",
        "SPEED_RANGE_CM_S",
        "SPINDLE_1TO1_MAX_HZ",
        "STANDARD_GRAVITY_M_S2",
        "SpindleResponse",
        "TEMPERATURE_RANGE_C",
        "TESTED_SPEEDS_CM_S",
        "TESTED_TEMPERATURES_C",
        "THRESHOLD_FREQUENCY_RANGE_HZ",
        "WILTSHIRE2010_FLOW_ML_MIN",
        "WILTSHIRE2010_LACTATE_EFFLUX_MMOL",
        "amplitude_for_acceleration_mm",
        "back_map_bands",
        "channel_threshold_db",
        "channel_thresholds_db",
        "cleared_mmol",
        "composite_threshold_db",
        "concentration_mmol_l",
        "contact_pressure_pa",
        "ct_response",
        "db_above_threshold",
        "depth_for_fraction_mm",
        "detecting_channel",
        "displacement_db",
        "flush_story_vs_measured",
        "friction_coefficient",
        "from_g",
        "gate_steady_state",
        "gate_time_course",
        "half_life_min",
        "heat_flux_w_m2",
        "heat_pain_check",
        "ia_drive",
        "kneading_flow_ml_min",
        "large_fibre_drive",
        "layer_at",
        "mean_pressure_kpa",
        "measured_data",
        "nervous_time_course",
        "net_excitation_index",
        "organ_names",
        "organ_segments",
        "pain_time_course",
        "parse_segments",
        "peak_acceleration_m_s2",
        "peak_velocity_m_s",
        "penetration_depth_mm",
        "perfusion_rate_per_s",
        "phasic_reflex_during",
        "pleasantness_link",
        "post_vibration_depression",
        "relief_at_end",
        "rms",
        "rubbing_skin_temperature_c",
        "segment_disagreement",
        "segment_table",
        "sine_kinematics",
        "sine_rms_from_peak",
        "skin_blood_flow",
        "small_fibre_drive",
        "spindle_following",
        "steady_temperature_rise_k",
        "stress_fraction",
        "stress_on_axis_kpa",
        "temperature_rise_no_perfusion_k",
        "temperature_rise_with_perfusion_k",
        "time_to_temperature_rise_s",
        "to_g",
        "tonic_vibration_reflex",
        "transmissibility",
        "vasomotor_verdict",
        "washout_rate_per_min",
    ),
    ".plots": (
        "PALETTE",
        "axis_label",
        "is_projector_mode",
        "projector_mode",
        "projector_requested",
        "use_course_style",
    ),
    ".progress": (
        "progress_path",
        "progress_summary",
        "record_answer",
        "reset_progress",
        "show_progress",
    ),
    ".quiz": (
        "AnswerEvent",
        "DEFAULT_HINT",
        "MultipleChoice",
        "Numeric",
        "PROGRESS",
        "Quiz",
        "add_answer_listener",
        "remove_answer_listener",
    ),
    ".references": (
        "REFERENCES",
        "find_citations",
        "format_reference",
        "get_reference",
        "notebook_citations",
        "references_markdown",
        "show_references",
    ),
    ".validation": (
        "check_array",
        "check_bool",
        "check_choice",
        "check_int",
        "check_number",
    ),
    ".widgets": (
        "Choice",
        "Explorer",
        "Slider",
        "friendly_error",
        "nice_log_grid",
    ),
}
_WHERE = {name: module for module, names in _SOURCES.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    """Load a public name from its submodule the first time it is asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'course_utils' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
