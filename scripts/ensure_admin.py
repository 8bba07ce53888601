"""Create a site administrator `admin` with a generated password when no one can sign in as one.

The password is printed once and kept in $HIRAKU_DATA_DIR/admin-password.txt (mode 600), so it is
not lost if the terminal scrolls away. Run by scripts/serve; see README.md.
"""

import os
import secrets
import sys
from pathlib import Path


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hiraku.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User

    admins = User.objects.filter(is_superuser=True, is_active=True)
    if any(user.has_usable_password() for user in admins):
        return 0
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(username="admin")
    user.is_superuser = user.is_staff = user.is_active = True
    user.set_password(password)
    user.save()
    record = Path(settings.DATA_DIR) / "admin-password.txt"
    record.write_text(f"username: admin\npassword: {password}\n", encoding="utf-8")
    record.chmod(0o600)
    print("=" * 64)
    print("サイト管理者を作成しました / Site administrator created")
    print("  username: admin")
    print(f"  password: {password}")
    print(f"  (saved in {record})")
    print("=" * 64, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
