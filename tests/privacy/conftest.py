"""Privacy tests run Huey tasks inline, so a version's scan finishes inside resource_create."""

import pytest


@pytest.fixture(autouse=True)
def _huey_immediate():
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = previous


@pytest.fixture
def approver(db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("approver", "approver@example.jp", "pw-approver-12345")
    user.groups.add(Group.objects.get(name="privacy-approvers"))
    return user


@pytest.fixture(scope="session")
def corpus():
    from tests.privacy.planted import build_corpus

    return build_corpus()
