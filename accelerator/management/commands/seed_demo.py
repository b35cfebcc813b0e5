import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from accelerator.outbox.services import outbox_deliver

# Each app that has demo data contributes `<app>.demo.seed(context)`; order matters.
DEMO_MODULES = ["cohorts.demo", "agenda.demo", "agenda.demo_absences", "convening.demo", "coaching.demo",
                "strategy.demo"]


class Command(BaseCommand):
    help = "Load the demo cohorts, cities, people and program history. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo adds demo accounts with a published password; it refuses to run with DEBUG off. "
                "Use --force if this really is a demo site."
            )
        context = {}
        # The demo's own messages (invitations, notices, warnings) are recorded in the outbox as
        # sent, in memory: the staff outbox page shows them, and nobody's mailbox or the console
        # receives a backlog of made-up mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic(), scopes_disabled():  # the demo spans every city on purpose
                for name in DEMO_MODULES:
                    try:
                        module = importlib.import_module(name)
                    except ModuleNotFoundError as exc:
                        if exc.name != name:
                            raise
                        continue
                    module.seed(context)
            recorded = outbox_deliver()["sent"]
        from cohorts.demo import DEMO_PASSWORD

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Every demo account's password: {DEMO_PASSWORD}"))
        self.stdout.write(f"{recorded} demo messages recorded in the outbox (staff: Outbox in the menu).")
