import importlib
import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django_scopes import scopes_disabled

from accelerator.outbox.models import OutgoingMessage
from accelerator.outbox.services import outbox_deliver

# Each app that has demo data contributes `<app>.demo.seed(context)`; order matters.
DEMO_MODULES = ["cohorts.demo", "agenda.demo", "agenda.demo_absences", "convening.demo", "agenda.demo_feedback",
                "coaching.demo", "strategy.demo", "completion.demo"]


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
        with scopes_disabled():
            messages_before = OutgoingMessage.objects.count()
        # The story's emails (invitations, reminders, notices) are kept in memory while it is told,
        # not printed: the console shows a summary, and the emails the demo sends from now on, when
        # someone uses it, go to the terminal as usual.
        # They are recorded in the outbox as sent (the staff outbox page shows them).
        # The sender's progress lines and the broker's notes are kept off the console too; errors
        # still reach it.
        logging.disable(logging.WARNING)
        try:
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
                # Sent here unless the task already sent them when the seeding committed (no broker).
                outbox_deliver()
        finally:
            logging.disable(logging.NOTSET)
        with scopes_disabled():
            held_back = OutgoingMessage.objects.count() - messages_before
        self.stdout.write(self.style.SUCCESS(self.summary(context, held_back)))

    def summary(self, context, held_back):
        from cohorts.demo import DEMO_PASSWORD
        from cohorts.models import City, Cohort

        with scopes_disabled():
            cohorts, cities = Cohort.objects.count(), City.objects.count()
        rehearsal = context.get("convening_rehearsal")
        lines = [
            f"Demo data loaded: {cohorts} cohorts, {cities} cities.",
            f"Every demo account's password: {DEMO_PASSWORD} (accounts are listed in the README).",
            f"{held_back} emails of the demo's story were not printed (staff see them under Outbox); emails "
            "sent while you use the demo appear in this terminal.",
        ]
        if rehearsal is not None:
            lines.append(f"Practice convening open now: {settings.SITE_URL}{rehearsal.get_absolute_url()}check-in/")
        return "\n".join(lines)
