from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accelerator.errors import RuleViolation
from accelerator.people_data import person_erase


class Command(BaseCommand):
    help = ("Erase a person's name and email in place (their records are kept), as the superuser named by "
            "--by. Cannot be undone: export their data first if they asked for it.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--by", required=True, help="Email of the superuser who erases (audited).")
        parser.add_argument("--yes", action="store_true", help="Confirm: this cannot be undone.")

    def handle(self, email, by, yes=False, **options):
        users = get_user_model().objects
        person = users.filter(email__iexact=email).first()
        actor = users.filter(email__iexact=by).first()
        if person is None:
            raise CommandError(f"No person with the email {email}.")
        if actor is None:
            raise CommandError(f"No person with the email {by}.")
        if not yes:
            raise CommandError("Erasing cannot be undone: run again with --yes.")
        try:
            person_erase(user=person, actor=actor)
        except RuleViolation as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Erased: the person is now {person.full_name} <{person.email}>; every record is kept.")
