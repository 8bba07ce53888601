"""Personal-information detectors, one module per kind, all listed in registry.py."""

from .base import Detector, Evidence, normalize
from .registry import all_detectors, get_detector, register_detector

__all__ = [
    "Detector",
    "Evidence",
    "all_detectors",
    "get_detector",
    "normalize",
    "register_detector",
]
