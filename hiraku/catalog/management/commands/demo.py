"""`hiraku demo`: load the demo catalog (idempotent; safe to run again)."""

from django.core.management.base import BaseCommand

from hiraku.catalog.demo.builder import build_demo_catalog
from hiraku.catalog.demo.structure import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Load the demo catalog: organizations, categories, users and 10+ datasets."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-privacy", action="store_true", help="Skip the privacy (mesh population) demo."
        )

    def handle(self, *args, **opts):
        say = self.stdout.write if opts["verbosity"] > 1 else (lambda _: None)
        report = build_demo_catalog(say=say, privacy=not opts["no_privacy"])
        created = ", ".join(f"{k} {v}" for k, v in sorted(report.created.items())) or "-"
        existing = ", ".join(f"{k} {v}" for k, v in sorted(report.existing.items())) or "-"
        self.stdout.write(f"デモカタログ / demo catalog: 作成 created: {created}")
        self.stdout.write(f"  既存 already there: {existing}")
        if report.created.get("users"):
            names = ", ".join(u.username for u in USERS)
            self.stdout.write(f"  demo users ({names}) password: {DEMO_PASSWORD}")
        for note in report.notes:
            self.stdout.write(f"  {note}")
        for problem in report.problems:
            self.stderr.write(f"  注意 / note: {problem}")
