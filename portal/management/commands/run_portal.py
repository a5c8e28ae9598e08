"""`make run`: the whole portal on one machine, web server, Celery worker and beat.

Prepares the database and demo data, then runs the three processes side by
side until Ctrl-C (or until one of them dies), and stops all of them. The
banner with the address and the demo accounts appears once the web server
answers, not before; worker and beat only speak up for warnings.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_ACCOUNTS

# What each demo account is, for the banner (DESIGN.md's table).
ROLES = {
    "koordination@example.org": "coordinator of both spaces",
    "innen@example.org": "member of the inner circle (and so of the Fachgruppe)",
    "partner@example.org": "member of the Fachgruppe only",
    "gast@example.org": "member of nothing, one pending join request",
    "pruefung@example.org": "second coordinator of the Fachgruppe",
}
READY_SECONDS = 120


class Command(BaseCommand):
    help = "Runs web server, Celery worker and Celery beat for local use (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        if not settings.DEBUG:
            raise CommandError("run_portal is for local use; production runs gunicorn and Celery (README).")
        password = os.environ.get("DEMO_PASSWORD", "")
        if not password:
            raise CommandError("Set DEMO_PASSWORD (make run does).")
        self._prepare_folders()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", password=password)
        self._run_until_stopped(addrport, password)

    def _prepare_folders(self) -> None:
        folders = [settings.VAR_DIR / "mail", settings.MEDIA_ROOT]
        if broker_dir := getattr(settings, "BROKER_DIR", None):
            folders += [broker_dir / "queue", broker_dir / "control"]
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)

    def _print_banner(self, addrport: str, password: str) -> None:
        width = max(len(account.email) for account in DEMO_ACCOUNTS)
        accounts = "".join(
            f"  {account.email:<{width}}  {ROLES.get(account.email, '')}\n" for account in DEMO_ACCOUNTS
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nPortal: http://{addrport}/\n")
            + f"Demo accounts (password: {password}):\n"
            + accounts
            + "Two-factor code of the coordinators (koordination@, pruefung@):\n"
            + "  .venv/bin/python manage.py demo_totp koordination@example.org\n"
            + f"E-mails are written to {settings.VAR_DIR / 'mail'}\n"
            + "Ctrl-C stops web server, worker and beat.\n"
        )

    def _answers(self, addrport: str) -> bool:
        try:
            with urllib.request.urlopen(f"http://{addrport}/healthz", timeout=2) as response:
                return response.status == 200
        except (OSError, ValueError):
            return False

    def _run_until_stopped(self, addrport: str, password: str) -> None:
        python = sys.executable
        commands = {
            "web": [python, "manage.py", "runserver", addrport, "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "--quiet",
                "-A",
                "portal",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=2",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "--quiet",
                "-A",
                "portal",
                "beat",
                "--loglevel=WARNING",
                f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
            ],
        }
        # Worker and beat speak up for warnings only; Celery's warning about running as root (as
        # in a container) is nothing a newcomer can act on.
        quiet = {
            **os.environ,
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore:You're running the worker with superuser privileges",
        }
        processes = {
            name: subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=quiet if name != "web" else None)
            for name, cmd in commands.items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        started, announced = time.monotonic(), False
        try:
            while not stopping:
                if not announced and (self._answers(addrport) or time.monotonic() - started > READY_SECONDS):
                    self._print_banner(addrport, password)
                    announced = True
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with {process.returncode}; stopping the rest.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Stopped.")
