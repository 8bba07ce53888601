"""The real ckanapi command-line client against a real `hiraku serve` on a free port."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

VENV_BIN = Path(sys.executable).parent
SEED = """
from django.core.management import call_command
call_command("migrate", verbosity=0)

from django.contrib.auth.models import User
from hiraku.accounts.services import token_create
from hiraku.catalog import actions
from hiraku.catalog.models import Capacity, Membership, Organization

admin = User.objects.create_user("live-editor", "e@example.jp", "pw-live-editor-1234")
org = Organization.objects.create(name="joho", title="情報政策課")
Membership.objects.create(user=admin, organization=org, capacity=Capacity.EDITOR)
for name, title, private in [
    ("aed-list", "AED設置箇所一覧", False),
    ("shelters", "避難所一覧", False),
    ("secret-survey", "非公開の調査", True),
]:
    actions.dataset_create(
        actor=admin,
        data={"name": name, "title": title, "owner_org": "joho", "private": private,
              "tags": ["防災"], "resources": [{"url": f"https://example.jp/{name}.csv"}]},
    )
print(token_create(user=admin, name="live")[1])
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str, env: dict, timeout: int = 60) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def hiraku_server(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("HIRAKU_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(HIRAKU_DATA_DIR=str(tmp_path / "data"), HIRAKU_QUEUE_IMMEDIATE="1")
    # `ckanapi dump` starts its workers as plain "ckanapi" from PATH.
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    hiraku = str(VENV_BIN / "hiraku")
    token = _run(hiraku, "shell", "-c", SEED, env=env).strip().splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [hiraku, "serve", "--port", str(port), "--no-worker", "--workers", "1", "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/api/3", timeout=1) as r:
                    if json.load(r) == {"version": 3}:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("server did not start: " + server.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        yield url, token, env
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        server.wait(timeout=10)


@pytest.mark.live
def test_ckanapi_cli_search_dump_and_create(hiraku_server):
    url, token, env = hiraku_server
    ckanapi = str(VENV_BIN / "ckanapi")

    found = json.loads(_run(ckanapi, "action", "package_search", "q=AED", "-r", url, env=env))
    assert found["count"] == 1 and found["results"][0]["name"] == "aed-list"

    dumped = _run(ckanapi, "dump", "datasets", "--all", "-q", "-r", url, env=env)
    records = [json.loads(line) for line in dumped.splitlines() if line.strip()]
    assert sorted(r["name"] for r in records) == ["aed-list", "shelters"]
    assert all(r["resources"][0]["url"].startswith("https://example.jp/") for r in records)

    created = json.loads(
        _run(
            ckanapi,
            "action",
            "package_create",
            "name=from-ckanapi",
            "title=ckanapi から作成",
            "owner_org=joho",
            "-r",
            url,
            "-a",
            token,
            env=env,
        )
    )
    assert created["name"] == "from-ckanapi"
    shown = json.loads(
        _run(ckanapi, "action", "package_show", "id=from-ckanapi", "-r", url, env=env)
    )
    assert shown["id"] == created["id"] and shown["title"] == "ckanapi から作成"

    refused = subprocess.run(
        [
            ckanapi,
            "action",
            "package_create",
            "name=no-token",
            "title=x",
            "owner_org=joho",
            "-r",
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert refused.returncode != 0 and "NotAuthorized" in refused.stderr + refused.stdout
