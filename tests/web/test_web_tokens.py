"""My page API tokens: created and shown once, stored hashed, listed, revoked."""

import hashlib

from django.urls import reverse

from hiraku.accounts.models import ApiToken
from hiraku.accounts.services import user_for_token


def test_my_page_needs_sign_in(client, catalog):
    response = client.get(reverse("web:user"))
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


def test_create_shows_token_once_and_stores_hash(client, catalog):
    client.force_login(catalog.outsider)
    response = client.post(reverse("web:token_create"), {"name": "集計スクリプト"})
    assert response.status_code == 200
    plain = response.context["new_token"]
    assert plain.startswith("hrk_") and plain in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=catalog.outsider)
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert plain not in token.token_hash and token.prefix == plain[:10]
    assert user_for_token(plain) == catalog.outsider
    listing = client.get(reverse("web:user")).content.decode()
    assert "集計スクリプト" in listing and token.prefix in listing
    assert plain not in listing  # never shown again


def test_create_needs_a_name(client, catalog):
    client.force_login(catalog.outsider)
    response = client.post(reverse("web:token_create"), {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke(client, catalog):
    client.force_login(catalog.outsider)
    plain = client.post(reverse("web:token_create"), {"name": "t"}).context["new_token"]
    token = ApiToken.objects.get()
    response = client.post(reverse("web:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert user_for_token(plain) is None
    assert "t</td>" not in client.get(reverse("web:user")).content.decode()


def test_cannot_revoke_someone_elses_token(client, catalog):
    client.force_login(catalog.outsider)
    plain = client.post(reverse("web:token_create"), {"name": "mine"}).context["new_token"]
    token = ApiToken.objects.get()
    client.force_login(catalog.student)
    client.post(reverse("web:token_revoke", args=[token.pk]))
    assert user_for_token(plain) == catalog.outsider


def test_sign_in_and_out(client, catalog):
    bad = client.post(reverse("web:login"), {"username": "outsider", "password": "wrong"})
    assert bad.status_code == 200 and 'id="error-summary"' in bad.content.decode()
    response = client.post(
        reverse("web:login"), {"username": "outsider", "password": "pw-outsider-12345"}
    )
    assert response.status_code == 302
    assert client.get(reverse("web:user")).status_code == 200
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:user")).status_code == 302
