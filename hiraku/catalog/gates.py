"""Release gates: checks other apps register to hold a resource version back from the public.

The privacy app registers one (a version whose scan found high risk stays unreleased until an
approver records a decision). The catalog asks `version_released` before serving a version's
file or data to anyone who may not edit the dataset, without importing the apps behind it.
"""

from collections.abc import Callable

from .models import ResourceVersion

# A gate returns None when it has no objection, or a bilingual reason why the version is held.
Gate = Callable[[ResourceVersion], str | None]
_gates: list[Gate] = []


def register_release_gate(gate: Gate) -> None:
    if gate not in _gates:
        _gates.append(gate)


def hold_reasons(version: ResourceVersion) -> list[str]:
    return [reason for gate in _gates if (reason := gate(version))]


def version_released(version: ResourceVersion) -> bool:
    return not hold_reasons(version)
