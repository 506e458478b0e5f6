from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.instruments import InstrumentFileError, load_definition, read_definition


class Command(BaseCommand):
    help = (
        "Load a screening instrument version from a JSON data file (see cases/instruments/). "
        "A department loads the exact version it is licensed to use."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)

    def handle(self, *args, paths: list[Path], **options):
        for path in paths:
            try:
                with transaction.atomic():
                    version, created = load_definition(apps, read_definition(path))
            except InstrumentFileError as error:
                raise CommandError(str(error)) from error
            state = "loaded" if created else "already loaded, unchanged"
            self.stdout.write(f"{version}: {state}")
