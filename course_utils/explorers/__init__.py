"""Explorers: the interactive panels of the notebooks, one module per notebook topic."""

from .kneading import KneadingWashoutExplorer
from .pressure import PressureDepthExplorer
from .rubbing import RubbingHeatExplorer
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
    "TissueResponseExplorer",
    "VibrationExplorer",
    "WaveformExplorer",
]
