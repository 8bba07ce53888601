"""Remove what one scripts/test run left on the shared servers: its PostgreSQL test databases
(pytest-django drops them itself unless the run was killed; xdist adds _gw0, _gw1 suffixes)
and its Huey queue keys in Redis. Settings come from the environment set by scripts/test."""

import os

import psycopg
import redis


def drop_databases(url: str, prefix: str) -> None:
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",)
            )
        ]
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clear_queue(url: str, queue: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)


if __name__ == "__main__":
    for step, args in (
        (drop_databases, (os.environ["PG_URL"], os.environ["PG_TEST_DB"])),
        (clear_queue, (os.environ["REDIS_URL"], os.environ["QUEUE"])),
    ):
        try:
            step(*args)
        except Exception as exc:  # cleanup is best effort; the test result is what matters
            print(f"cleanup: {step.__name__} skipped: {exc}")
