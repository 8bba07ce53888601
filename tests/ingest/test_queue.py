"""The queue: an upload creates a QUEUED job and a worker ingests it, with no extra command."""

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from hiraku.ingest.models import IngestJob, JobState

SCENARIO = Path(__file__).with_name("queue_scenario.py")
REPO = Path(__file__).resolve().parents[2]


def test_upload_signal_queues_and_runs_a_job(catalog, django_capture_on_commit_callbacks):
    from hiraku.catalog import actions
    from tests.conftest import make_upload

    with django_capture_on_commit_callbacks(execute=True):
        resource = actions.resource_create(
            actor=catalog.sysadmin,
            dataset=catalog.parks,
            data={"name": "parks.csv"},
            upload=make_upload("parks.csv", "名称,面積\n中央,1.5\n".encode()),
        )
    resource.refresh_from_db()
    job = IngestJob.objects.get(version=resource.current_version)
    assert job.state == JobState.DONE, job.message
    assert job.tables.get().table_schema["fields"][1]["type"] == "number"


def test_linked_resource_gets_no_job(catalog, django_capture_on_commit_callbacks):
    from hiraku.catalog import actions

    with django_capture_on_commit_callbacks(execute=True):
        actions.resource_create(
            actor=catalog.sysadmin,
            dataset=catalog.parks,
            data={"name": "link", "url": "https://example.jp/a.csv"},
        )
    assert IngestJob.objects.count() == 0


def test_interrupted_jobs_are_marked_failed_on_worker_start(upload):
    from hiraku.ingest.services import jobs_recover_interrupted

    version = upload("a.csv", b"a,b\n1,2\n")
    job = IngestJob.objects.create(version=version, state=JobState.RUNNING)
    assert jobs_recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and " / " in job.message


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_worker_subprocess_ingests_an_upload(backend, tmp_path, testdata):
    """A real consumer (`hiraku run_huey`) in a subprocess, SqliteHuey or RedisHuey."""
    env = {
        **os.environ,
        "HIRAKU_DATA_DIR": str(tmp_path / "data"),
        "HIRAKU_QUEUE_IMMEDIATE": "0",
        "HIRAKU_QUEUE_NAME": f"hiraku-test-{uuid.uuid4().hex[:12]}",
        "PYTHONPATH": str(REPO),
    }
    env.pop("DATABASE_URL", None)
    env.pop("HIRAKU_DATASTORE_DIR", None)
    env.pop("HIRAKU_REDIS_URL", None)
    if backend == "redis":
        if not _redis_reachable():
            pytest.skip("Redis is not reachable on 127.0.0.1:6379, so RedisHuey cannot be tested")
        env["HIRAKU_REDIS_URL"] = "redis://127.0.0.1:6379/0"

    def scenario(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, str(SCENARIO), *args],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1]

    version_id = scenario("upload", str(testdata / "kobe_indoor_shelters_cp932.csv"))
    assert json.loads(scenario("status", version_id))["state"] == JobState.QUEUED
    worker = subprocess.Popen(
        [sys.executable, "-m", "hiraku", "run_huey", "--quiet"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        state = None
        while time.monotonic() < deadline:
            state = json.loads(scenario("status", version_id))
            if state["state"] in (JobState.DONE, JobState.FAILED):
                break
            time.sleep(1)
        assert state == {"state": JobState.DONE, "tables": 1}
        assert worker.poll() is None, "the worker keeps running"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        if backend == "redis":
            import redis

            client = redis.Redis.from_url(env["HIRAKU_REDIS_URL"])
            for key in client.scan_iter(f"*{env['HIRAKU_QUEUE_NAME']}*"):
                client.delete(key)
