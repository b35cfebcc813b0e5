from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accelerator.people_data import person_export_json


class Command(BaseCommand):
    help = "Write everything that names a person (by email) as a JSON file, for a data-access request."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--output", "-o", help="File to write; the terminal when left out.")

    def handle(self, email, output=None, **options):
        person = get_user_model().objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"No person with the email {email}.")
        content = person_export_json(person)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(content)
            self.stdout.write(f"Written to {output}.")
        else:
            self.stdout.write(content)
