from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.importer import ImportFailed, import_workbook


class Command(BaseCommand):
    help = "Import org units, users and station assignments from an .xlsx workbook (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as fh:
            try:
                summary = import_workbook(fh)
            except ImportFailed as failed:
                for error in failed.errors:
                    self.stderr.write(str(error))
                raise CommandError(f"Nothing was imported: {len(failed.errors)} bad row(s).") from failed
        self.stdout.write(self.style.SUCCESS(summary.describe()))
