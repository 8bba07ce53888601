"""Helpers for calling the Action API as a CKAN client would."""

import json

import pytest
from django.test import Client

from hiraku.accounts.services import token_create


class ApiCaller:
    """Calls /api/3/action/<name> and returns (status, envelope)."""

    def __init__(self, client: Client, token: str = ""):
        self.client = client
        self.token = token

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": self.token} if self.token else {}

    def get(self, action: str, /, **params):
        response = self.client.get(f"/api/3/action/{action}", params, **self._headers())
        return response.status_code, json.loads(response.content)

    def post(self, action: str, data=None, /, **extra):
        body = data if isinstance(data, (str, bytes)) else json.dumps(data or {})
        response = self.client.post(
            f"/api/3/action/{action}",
            body,
            content_type=extra.pop("content_type", "application/json"),
            **{**self._headers(), **extra},
        )
        return response.status_code, json.loads(response.content)

    def upload(self, name: str, fields: dict, files: dict):
        response = self.client.post(f"/api/3/action/{name}", {**fields, **files}, **self._headers())
        return response.status_code, json.loads(response.content)


@pytest.fixture
def api_as(catalog):
    """api_as("joho_editor") -> an ApiCaller with a fresh token for that role."""

    def make(role: str) -> ApiCaller:
        user = getattr(catalog, role)
        if not user.is_authenticated:
            return ApiCaller(Client())
        _, plain = token_create(user=user, name="test")
        return ApiCaller(Client(), plain)

    return make
