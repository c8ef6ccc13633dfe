"""Explorers: the interactive panels of the notebooks, one module per notebook topic."""

from .pressure import PressureDepthExplorer

__all__ = ["PressureDepthExplorer"]
