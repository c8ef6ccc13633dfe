"""Explorers: the interactive panels of the notebooks, one module per notebook topic."""

from .kneading import KneadingWashoutExplorer
from .pressure import PressureDepthExplorer
from .rubbing import RubbingHeatExplorer
from .safety import TherapistDayExplorer, WhWeightingExplorer
from .segments import SegmentZonesExplorer
from .stroking import CTStrokingExplorer, StrokeDepthExplorer
from .vibration import ReceptorChannelsExplorer, TissueResponseExplorer, VibrationExplorer, WaveformExplorer

__all__ = [
    "CTStrokingExplorer",
    "KneadingWashoutExplorer",
    "PressureDepthExplorer",
    "ReceptorChannelsExplorer",
    "RubbingHeatExplorer",
    "SegmentZonesExplorer",
    "StrokeDepthExplorer",
    "TherapistDayExplorer",
    "TissueResponseExplorer",
    "VibrationExplorer",
    "WaveformExplorer",
    "WhWeightingExplorer",
]
