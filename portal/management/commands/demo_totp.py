import time

from allauth.mfa import app_settings as mfa_settings
from django.core.management.base import BaseCommand, CommandError

from groups.models import User
from portal import demo


class Command(BaseCommand):
    help = (
        "Prints the current two-factor code of a demo account (koordination@, pruefung@). "
        "Works only for the demo secret that seed_demo sets, never for a real authenticator."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-mail address of the demo account, e.g. koordination@example.org")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email).first()
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        code = demo.demo_totp_code(user, counter=counter) if user else None
        if code is None:
            raise CommandError(
                f"{email} has no demo authenticator (run seed_demo; real ones are never shown)."
            )
        seconds_left = mfa_settings.TOTP_PERIOD - int(time.time()) % mfa_settings.TOTP_PERIOD
        self.stdout.write(code)
        self.stderr.write(f"valid for {seconds_left} more seconds")
