import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from neighbourhoods.demo import USERS
from neighbourhoods.models import Neighbourhood

# Seconds between two runs of the demo's scheduler (follow-up digests).
SCHEDULE_EVERY = 300


def served_environment() -> dict[str, str]:
    """How the demo serves: as in production, with DEBUG off, so a visitor sees the friendly
    404/403/500 pages in their language (never Django's debug page with the URL patterns), and
    static files come from whitenoise. Plain http on this machine only: no HTTPS redirect,
    no secure-only cookies, no HSTS; a fresh secret key per run unless one is set."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,[::1]",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
    }


class Command(BaseCommand):
    help = "Migrate, load demo data into an empty database, print the logins and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Set up, then stop.")
        parser.add_argument("--password", default=settings.ASSETMAP_DEMO_PASSWORD)
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start a task worker beside it."
        )
        parser.add_argument(
            "--debug",
            action="store_true",
            help="Serve with DEBUG on (Django's debug pages) instead of as in production.",
        )

    def handle(
        self,
        *args,
        port: int,
        no_serve: bool,
        password: str,
        no_worker: bool,
        debug: bool,
        **options,
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if Neighbourhood.objects.exists():
            self.stdout.write("The database already has data; demo data left as it is.")
        else:
            self.stdout.write("Loading demo data (about a minute)…")
            call_command("seed_demo", password=password, stdout=self.stdout)
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Assetmap demo: {url}"))
        self.stdout.write("Log in as one of:")
        for username, first, last, _roles in USERS:
            self.stdout.write(f"  {username:<12} {first} {last}")
        self.stdout.write(f"  {'orgadmin':<12} admin of the organisation Participe Amstelland")
        self.stdout.write(f"Password for all: {password}")
        if no_serve:
            return
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        # links in mails sent by the worker (follow-up digests) point at this server
        os.environ.setdefault("SITE_URL", url.rstrip("/"))
        worker = scheduler = None
        backend = str(settings.TASKS["default"]["BACKEND"])  # a dotted path
        if not no_worker and backend.endswith("DatabaseBackend"):
            # Slow work (imports, PDF reports) runs as tasks; a worker beside the server runs
            # them (`manage.py db_worker`; in production run it as its own service).
            worker = subprocess.Popen(  # noqa: S603
                [sys.executable, manage, "db_worker", "--no-reload", "--queue-name", "*"]
            )
            self.stdout.write(f"Task worker started (process {worker.pid}).")
            # django.tasks has no scheduler: this loop queues the follow-up reminder digests
            # every few minutes (each person gets a day's digest once at most); in production
            # run `manage.py send_digests` from cron instead.
            scheduler = subprocess.Popen(  # noqa: S603
                [sys.executable, manage, "send_digests", "--every", str(SCHEDULE_EVERY)],
                stdout=subprocess.DEVNULL,
            )
            self.stdout.write(f"Scheduler started (process {scheduler.pid}).")
        try:
            if debug:
                call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
            else:
                self.serve_as_in_production(manage, port)
        finally:
            for process in (scheduler, worker):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=10)

    def serve_as_in_production(self, manage: str, port: int) -> None:
        environment = served_environment()
        subprocess.run(  # noqa: S603
            [sys.executable, manage, "collectstatic", "--noinput", "--verbosity", "0"],
            env=environment,
            check=True,
        )
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=environment,
        )
        try:
            server.wait()
        finally:
            server.terminate()
            server.wait(timeout=10)
