"""The Action API's registry: every /api/3/action/<name> is a function registered here.

    @action("package_show")
    def package_show(ctx: ActionContext, data: dict) -> dict: ...

An action reads its parameters from `data` (query string for GET, JSON or form fields for POST),
uploaded files from `ctx.files`, and the caller from `ctx.user` (resolved from an API token or
the session). It returns the `result` part of CKAN's envelope, or raises an error from
hiraku.catalog.errors, which the dispatcher turns into CKAN's error object.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class ActionContext:
    request: HttpRequest
    user: Any
    files: dict = field(default_factory=dict)


ActionFn = Callable[[ActionContext, dict], Any]


@dataclass(frozen=True)
class Action:
    name: str
    fn: ActionFn
    write: bool  # True: POST only, needs a signed-in caller (token or session)
    doc: str


_actions: dict[str, Action] = {}


def action(name: str, *, write: bool = False) -> Callable[[ActionFn], ActionFn]:
    def register(fn: ActionFn) -> ActionFn:
        _actions[name] = Action(name=name, fn=fn, write=write, doc=(fn.__doc__ or "").strip())
        return fn

    return register


def get_action(name: str) -> Action | None:
    return _actions.get(name)


def all_actions() -> dict[str, Action]:
    return dict(sorted(_actions.items()))
