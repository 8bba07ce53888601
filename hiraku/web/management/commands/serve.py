"""`hiraku serve`: gunicorn for the web, plus a Huey worker in the embedded default.

In the embedded default (SQLite queue) one command runs everything, so an upload is ingested
with no other process to start. In production (HIRAKU_REDIS_URL set) run `hiraku run_huey`
separately and pass --no-worker here; see docs/deploy.md.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the portal with gunicorn (and a queue worker unless --no-worker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HIRAKU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("HIRAKU_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("HIRAKU_WEB_WORKERS", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("HIRAKU_WEB_THREADS", "4"))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a queue worker here."
        )
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, **opts):
        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if not (settings.STATIC_ROOT / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)

        worker = None
        if not opts["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "hiraku", "run_huey", "--quiet"])
        try:
            self._run_gunicorn(opts)
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()

    def _run_gunicorn(self, opts) -> None:
        from gunicorn.app.base import BaseApplication

        from hiraku.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{opts['host']}:{opts['port']}")
                self.cfg.set("workers", opts["workers"])
                self.cfg.set("threads", opts["threads"])
                self.cfg.set("worker_class", "gthread")
                # Large uploads and streamed downloads take longer than gunicorn's 30 s default.
                self.cfg.set("timeout", 600)
                self.cfg.set("accesslog", os.environ.get("HIRAKU_ACCESS_LOG") or None)

            def load(self):
                return application

        self.stdout.write(f"Hiraku: http://{opts['host']}:{opts['port']}/")
        Server().run()
