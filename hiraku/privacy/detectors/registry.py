"""The one list of detectors. A new detector plugs in with register_detector(instance)."""

from .base import Detector

_detectors: dict[str, Detector] = {}


def register_detector(detector: Detector) -> Detector:
    _detectors[detector.kind] = detector
    return detector


def all_detectors() -> list[Detector]:
    _load_builtin()
    return list(_detectors.values())


def get_detector(kind: str) -> Detector:
    _load_builtin()
    return _detectors[kind]


def _load_builtin() -> None:
    # Imported for their register_detector() side effect; order = order of findings.
    from . import (  # noqa: F401
        address,
        birthdate,
        email,
        freetext,
        mynumber,
        names,
        phone,
    )
