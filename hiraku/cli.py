"""The `hiraku` command: Django's manage commands, with Hiraku's own (serve, demo, createadmin,
ingest, scan) among them."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiraku.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["hiraku", *args])


if __name__ == "__main__":
    main()
