"""`hiraku createadmin`: create (or reset) a site administrator."""

import getpass

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a site administrator, or reset an existing one's password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Omit to be asked (not echoed).")

    def handle(self, *args, **opts):
        password = opts["password"]
        if not password:
            password = getpass.getpass("Password / パスワード: ")
            if password != getpass.getpass("Again / もう一度: "):
                raise CommandError("Passwords differ / パスワードが一致しません")
        if len(password) < 8:
            raise CommandError("Use at least 8 characters / 8文字以上にしてください")
        user, created = User.objects.get_or_create(
            username=opts["username"], defaults={"email": opts["email"]}
        )
        user.is_superuser = user.is_staff = user.is_active = True
        user.set_password(password)
        user.save()
        verb = "created / 作成しました" if created else "updated / 更新しました"
        self.stdout.write(f"Site administrator {user.username} {verb}")
