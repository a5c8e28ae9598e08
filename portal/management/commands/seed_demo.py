from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.demo import seed_api_tokens
from groups.demo import seed_groups
from meetings.demo import seed_meetings
from portal import demo
from portal.demo_history import seed_history
from projects.demo import seed_projects


class Command(BaseCommand):
    help = "Builds the demo portal (fictional people, real organisation names). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="Password of every demo account.")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a live portal)."
        )

    def handle(self, *args, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off. Pass --force if this is not a live portal."
            )
        if len(password) < 4:
            raise CommandError("The demo password needs at least 4 characters.")
        users = demo.seed_accounts(password=password)
        by_email = {user.email: user for user in users}
        seed_groups(users=by_email)
        seed_meetings(users=by_email)
        seed_projects(users=by_email)
        seed_history(users=by_email)
        with_totp = {user.pk for user in demo.seed_totp(users=users)}
        api_tokens = seed_api_tokens(users=by_email, password=password)
        for user in users:
            note = "  (TOTP: manage.py demo_totp " + user.email + ")" if user.pk in with_totp else ""
            self.stdout.write(f"  {user.email}{note}")
            if user.email in api_tokens:
                self.stdout.write(f"    API token (read only): {api_tokens[user.email]}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} accounts."))
