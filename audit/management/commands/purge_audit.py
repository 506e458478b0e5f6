from django.core.management.base import BaseCommand

from audit.services import purge_expired, retention_years


class Command(BaseCommand):
    help = (
        "Delete access-log and change-history rows older than CFSJ_AUDIT_RETENTION_YEARS "
        "(never younger than one year) and re-anchor the hash chain."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, dry_run: bool, batch_size: int, verbosity: int, **options) -> None:
        def progress(table: str, done: int, total: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"  {table}: {done}/{total} deleted")

        result = purge_expired(
            by="manage.py purge_audit", dry_run=dry_run, batch_size=batch_size, progress=progress
        )
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(
            f"Retention {retention_years()} years, cut-off {result.cutoff:%Y-%m-%d %H:%M %Z}: "
            f"{verb} {result.access_rows} access-log rows and "
            f"{sum(result.history_rows.values())} history rows."
        )
        if verbosity >= 2:
            for table, count in result.history_rows.items():
                if count:
                    self.stdout.write(f"  {table}: {count}")
